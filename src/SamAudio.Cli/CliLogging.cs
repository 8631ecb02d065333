using Microsoft.Extensions.Logging;

namespace SamAudio.Cli;

/// <summary>Console logging on standard error (standard output is kept for results); warnings only when quiet.</summary>
internal static class CliLogging
{
    public static ILoggerFactory Create(bool quiet) => LoggerFactory.Create(builder => builder
        .SetMinimumLevel(quiet ? LogLevel.Warning : LogLevel.Information)
        .AddFilter("Microsoft", LogLevel.Warning)
        .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
        .AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        }));
}
