using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace SamAudio.Telemetry;

/// <summary>
/// Registers OpenTelemetry for a SamAudio program: the program's activity sources and meters, the Azure SDK's spans
/// inside them (<see cref="AzureSdkSpans"/>), .NET runtime metrics and its <c>ILogger</c> logs, sent where
/// <see cref="Setting"/> says (<see cref="TelemetryExporter"/>).
/// </summary>
public static class TelemetryRegistration
{
    /// <summary>Name of the setting that picks the exporter: <c>none</c>, <c>console</c>, <c>otlp</c> or <c>azuremonitor</c>.</summary>
    public const string Setting = "SamAudioTelemetry";

    /// <summary>The Application Insights connection string the Azure Monitor exporter reads.</summary>
    public const string AzureMonitorConnectionSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>Reads <see cref="Setting"/>; empty or missing means <see cref="TelemetryExporter.None"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value names no exporter.</exception>
    public static TelemetryExporter Parse(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "none" => TelemetryExporter.None,
        "console" => TelemetryExporter.Console,
        "otlp" => TelemetryExporter.Otlp,
        "azuremonitor" => TelemetryExporter.AzureMonitor,
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, $"{Setting} must be none, console, otlp or azuremonitor."),
    };

    /// <summary>
    /// Adds OpenTelemetry as <paramref name="configuration"/> asks, for the service <paramref name="serviceName"/>,
    /// tracing the activity sources and reading the meters named in <paramref name="sources"/>. Returns the builder
    /// (for program-specific additions), or null when the exporter is <see cref="TelemetryExporter.None"/>.
    /// </summary>
    /// <remarks>Call it before the program creates its Azure clients: Azure.Core reads its span switch once, at the first client.</remarks>
    /// <exception cref="InvalidOperationException">Azure Monitor is chosen and no connection string is set.</exception>
    public static IOpenTelemetryBuilder? AddSamAudioTelemetry(this IServiceCollection services, IConfiguration configuration, string serviceName, params string[] sources)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceName);
        var exporter = Parse(configuration[Setting]);
        if (exporter == TelemetryExporter.None)
        {
            return null;
        }

        if (exporter == TelemetryExporter.AzureMonitor && string.IsNullOrWhiteSpace(configuration[AzureMonitorConnectionSetting]))
        {
            throw new InvalidOperationException($"{Setting}=azuremonitor needs {AzureMonitorConnectionSetting} (the Application Insights connection string).");
        }

        AppContext.SetSwitch(AzureSdkSpans.Switch, true);
        var version = typeof(TelemetryRegistration).Assembly.GetName().Version?.ToString();
        var builder = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName, serviceVersion: version, serviceInstanceId: Environment.MachineName))
            .WithTracing(tracing => tracing.AddSource(sources).AddSource(AzureSdkSpans.Sources).AddProcessor(new AzureSdkSpans()))
            .WithMetrics(metrics => metrics.AddMeter(sources).AddRuntimeInstrumentation())
            .WithLogging(logging => { }, options => options.IncludeFormattedMessage = true);
        switch (exporter)
        {
            case TelemetryExporter.Console:
                builder.WithTracing(tracing => tracing.AddConsoleExporter())
                    .WithMetrics(metrics => metrics.AddConsoleExporter())
                    .WithLogging(logging => logging.AddConsoleExporter());
                break;
            case TelemetryExporter.Otlp:
                builder.UseOtlpExporter();
                break;
            case TelemetryExporter.AzureMonitor:
                builder.UseAzureMonitorExporter(options => options.ConnectionString = configuration[AzureMonitorConnectionSetting]);
                break;
        }

        return builder;
    }
}
