using System.Diagnostics;
using System.Globalization;
using SamAudio.Storage.Fetching;

namespace SamAudio.Cli;

/// <summary>
/// Progress of <c>samaudio fetch</c> on standard error: files and bytes of the totals. On a terminal it redraws one
/// line; when standard error is redirected it prints a plain line every few seconds. Safe to call from several threads.
/// </summary>
internal sealed class ConsoleFetchProgress(TextWriter error, bool interactive) : IProgress<FetchProgress>
{
    private static readonly TimeSpan LineInterval = TimeSpan.FromSeconds(5);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _lock = new();
    private TimeSpan? _lastDraw;
    private FetchProgress? _last;

    public static ConsoleFetchProgress For(CliConsole console) =>
        new(console.Error, interactive: ReferenceEquals(console.Error, Console.Error) && !Console.IsErrorRedirected);

    public void Report(FetchProgress value)
    {
        lock (_lock)
        {
            _last = value;
            var now = _clock.Elapsed;
            if (_lastDraw is { } last && now - last < (interactive ? TimeSpan.FromMilliseconds(200) : LineInterval))
                return;
            _lastDraw = now;
            error.Write(interactive ? "\r" + Line(value) : Line(value) + Environment.NewLine);
        }
    }

    /// <summary>Prints the final state and ends the line.</summary>
    public void Finish()
    {
        lock (_lock)
        {
            if (_last is not { } last) return;
            error.Write(interactive ? "\r" + Line(last) + Environment.NewLine : Line(last) + Environment.NewLine);
            _last = null;
        }
    }

    internal static string Line(FetchProgress p) => string.Create(CultureInfo.InvariantCulture,
        $"fetch: {p.Files}/{p.FilesTotal} files, {Size(p.Bytes)} of {Size(p.BytesTotal)}");

    /// <summary>A byte count for people: B, KB, MB or GB (powers of 1,024).</summary>
    internal static string Size(long bytes) => bytes switch
    {
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:F1} KB"),
        < 1024L * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):F1} MB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024 * 1024):F2} GB"),
    };
}
