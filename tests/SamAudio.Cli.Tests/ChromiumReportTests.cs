using System.Diagnostics;

namespace SamAudio.Cli.Tests;

/// <summary>A fact that runs only where Debian's <c>chromium</c> is on PATH (not on CI); skipped with the reason elsewhere.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (ChromiumReportTests.Chromium is null)
        {
            Skip = "chromium is not on PATH: this check runs on a machine with Debian's chromium (apt-get install chromium).";
        }
    }
}

public sealed class ChromiumReportTests
{
    public static string? Chromium { get; } = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(d => Path.Combine(d, "chromium"))
        .FirstOrDefault(p => File.Exists(p) && !OperatingSystem.IsWindows() && (File.GetUnixFileMode(p) & UnixFileMode.UserExecute) != 0);

    [ChromiumFact]
    public async Task The_report_loads_in_headless_chromium_at_1280_px_without_console_errors_and_a_missing_picture_is_noticed()
    {
        using var dir = new TempFolder();
        ReportCommandTests.WriteBursts(dir["a.wav"], 16000, 8);
        File.WriteAllText(dir["manifest.json"], """{ "schema": "samaudio.manifest/v1", "jobId": "web", "defaults": { "prompts": [ { "text": "a tone", "output": "both" } ] }, "items": [ { "id": "one", "recording": "a.wav" } ] }""");
        var (code, _, stderr) = await CliRunner.RunAsync("batch", dir["manifest.json"], "--out", dir["out"], "--model", "passthrough", "--quiet", "--report");
        Assert.True(code == 0, stderr);
        string page = dir["out/web/report.html"];

        var (exit, log) = await ScreenshotAsync(page, dir["shot.png"]);

        Assert.True(exit == 0, log);
        Assert.Empty(Problems(log));
        int spectrumPixels;
        using (var shot = SkiaSharp.SKBitmap.Decode(dir["shot.png"]))
        {
            Assert.Equal(1280, shot.Width);
            spectrumPixels = SpectrumPixels(shot);
        }

        // Headless Chromium logs no console message for an image that fails to load, so count what was drawn: the
        // three spectrograms (mixture, target, residual) fit in the window; without the mixture's file, less is drawn.
        Assert.True(spectrumPixels > 10_000, $"{spectrumPixels} spectrogram pixels drawn");
        File.Delete(dir["out/web/report/item-001/mixture.png"]);
        (exit, log) = await ScreenshotAsync(page, dir["shot2.png"]);
        Assert.True(exit == 0, log);
        using var without = SkiaSharp.SKBitmap.Decode(dir["shot2.png"]);
        Assert.True(SpectrumPixels(without) < spectrumPixels * 0.8, $"{SpectrumPixels(without)} of {spectrumPixels} spectrogram pixels without the mixture");
    }

    /// <summary>Pixels in the dark purple of an empty spectrogram cell (the colour map's low end), which no other part of the page uses.</summary>
    private static int SpectrumPixels(SkiaSharp.SKBitmap shot)
    {
        int n = 0;
        for (int y = 0; y < shot.Height; y++)
        {
            for (int x = 0; x < shot.Width; x++)
            {
                var c = shot.GetPixel(x, y);
                if (Math.Abs(c.Red - 68) < 12 && c.Green < 30 && Math.Abs(c.Blue - 84) < 14) n++;
            }
        }

        return n;
    }

    private static List<string> Problems(string log) =>
        [.. log.Split('\n').Where(l => l.Contains("CONSOLE", StringComparison.Ordinal) || l.Contains("Refused to", StringComparison.Ordinal) || l.Contains("net::ERR_", StringComparison.Ordinal))];

    private static async Task<(int Exit, string Log)> ScreenshotAsync(string page, string png)
    {
        var start = new ProcessStartInfo(Chromium!)
        {
            ArgumentList = { "--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0", "--window-size=1280,2400", $"--screenshot={png}", new Uri(page).AbsoluteUri },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        string log = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, log + await output);
    }
}
