using System.Diagnostics;
using System.Globalization;
using SamAudio.Core.Pipeline;

namespace SamAudio.Cli;

/// <summary>
/// A progress bar with speed (x real time) and ETA on standard error. On a terminal it redraws one line;
/// when standard error is redirected (logs, CI) it prints a plain line every few seconds instead.
/// </summary>
internal sealed class ConsoleProgress(TextWriter error, bool interactive) : IProgress<BatchProgress>
{
    private static readonly TimeSpan LineInterval = TimeSpan.FromSeconds(5);
    private readonly Stopwatch _item = new();
    private string? _itemId;
    private TimeSpan? _lastDraw;

    public static ConsoleProgress? For(CliConsole console, bool quiet) =>
        quiet ? null : new ConsoleProgress(console.Error, interactive: ReferenceEquals(console.Error, Console.Error) && !Console.IsErrorRedirected);

    public void Report(BatchProgress value)
    {
        if (value.ItemId != _itemId)
        {
            Finish();
            _itemId = value.ItemId;
            _item.Restart();
            _lastDraw = null;
        }

        var now = _item.Elapsed;
        bool done = value.Item.DoneSeconds >= value.Item.TotalSeconds;
        if (!done && _lastDraw is { } last && now - last < (interactive ? TimeSpan.FromMilliseconds(200) : LineInterval))
        {
            return;
        }

        _lastDraw = now;
        error.Write(interactive ? "\r" + Line(value, now) : Line(value, now) + Environment.NewLine);
    }

    /// <summary>Ends the current bar's line.</summary>
    public void Finish()
    {
        if (_itemId is not null && interactive)
        {
            error.WriteLine();
        }

        _itemId = null;
    }

    internal static string Line(BatchProgress p, TimeSpan elapsed)
    {
        double total = Math.Max(p.Item.TotalSeconds, 1e-9);
        double fraction = Math.Clamp(p.Item.DoneSeconds / total, 0, 1);
        const int Width = 24;
        int filled = (int)Math.Round(fraction * Width);
        double speed = elapsed.TotalSeconds > 0 ? p.Item.DoneSeconds / elapsed.TotalSeconds : 0;
        string eta = speed > 0 ? Clock((total - p.Item.DoneSeconds) / speed) : "--:--:--";
        return string.Create(CultureInfo.InvariantCulture,
            $"[{p.ItemIndex + 1}/{p.ItemCount}] {p.ItemId} [{new string('#', filled)}{new string('-', Width - filled)}] {fraction * 100,5:F1}% {Clock(p.Item.DoneSeconds)}/{Clock(total)} {speed,7:F1}x real time ETA {eta}");
    }

    private static string Clock(double seconds) => TimeSpan.FromSeconds(Math.Max(0, seconds)).ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture);
}
