using SamAudio.Core.Activity;
using SamAudio.Reports.Signals;
using SamAudio.Reports.Spectrograms;
using SkiaSharp;

namespace SamAudio.Reports.Tests.Spectrograms;

public sealed class SpectrogramRendererTests
{
    [Fact]
    public async Task The_png_has_the_layout_size_and_a_colour_bar_from_bright_at_the_top_to_dark_at_the_bottom()
    {
        var (s, _) = await ToneAsync(2000, startSeconds: 0);

        var layout = SpectrogramRenderer.LayoutFor(s);
        using var png = SKBitmap.Decode(SpectrogramRenderer.RenderPng(s, "tone", [], 0, 90));

        Assert.Equal(layout.Width, png.Width);
        Assert.Equal(layout.Height, png.Height);
        Assert.Equal(s.Columns, layout.PlotWidth);
        var top = png.GetPixel(layout.LegendLeft + 2, layout.PlotTop);
        var bottom = png.GetPixel(layout.LegendLeft + 2, layout.PlotTop + layout.PlotHeight - 1);
        Assert.Equal(Colormap.At(1), (top.Red, top.Green, top.Blue));
        Assert.Equal(Colormap.At(0), (bottom.Red, bottom.Green, bottom.Blue));
    }

    [Fact]
    public async Task The_brightest_pixel_row_of_a_pure_tone_is_at_the_tones_frequency_on_the_axis()
    {
        const double Hz = 2500;
        var (s, _) = await ToneAsync(Hz, startSeconds: 0);
        var layout = SpectrogramRenderer.LayoutFor(s);
        using var png = SKBitmap.Decode(SpectrogramRenderer.RenderPng(s, "tone", [], 0, 90));

        double pixelHz = s.NyquistHz / layout.PlotHeight;
        foreach (int column in new[] { s.Columns / 4, s.Columns / 2, 3 * s.Columns / 4 })
        {
            int x = layout.PlotLeft + column;
            int brightest = Enumerable.Range(layout.PlotTop, layout.PlotHeight).MaxBy(y => Brightness(png.GetPixel(x, y)));
            double rowHz = (layout.PlotTop + layout.PlotHeight - 1 - brightest + 0.5) * pixelHz;
            Assert.InRange(rowHz, Hz - pixelHz, Hz + pixelHz);
        }
    }

    [Fact]
    public async Task Activity_marks_sit_at_their_recording_time_when_the_item_starts_later_in_the_recording()
    {
        // The item is 10 s of a recording starting at 1:40:00; one region from 6002 s to 6003 s.
        var (s, _) = await ToneAsync(1000, startSeconds: 6000, seconds: 10);
        var layout = SpectrogramRenderer.LayoutFor(s);
        using var png = SKBitmap.Decode(SpectrogramRenderer.RenderPng(s, "tone", [new ActivityRegion(6002, 6003, -6, 0.9)], 0, 90));

        int y = layout.ActivityTop + (layout.ActivityHeight / 2);
        var marked = Enumerable.Range(0, layout.PlotWidth).Where(c => png.GetPixel(layout.PlotLeft + c, y) is { Red: > 200, Green: < 120 }).ToList();
        Assert.NotEmpty(marked);
        Assert.InRange(marked.Min() / (double)layout.PlotWidth * 10, 1.9, 2.1);
        Assert.InRange((marked.Max() + 1) / (double)layout.PlotWidth * 10, 2.9, 3.1);
        Assert.Equal(6000, AxisTicks.Time(s.StartSeconds, s.StartSeconds + s.DurationSeconds, 8)[0]);
        Assert.Equal("1:40:02", AxisTicks.TimeLabel(6002, 6010, 1));
    }

    private static int Brightness(SKColor c) => c.Red + c.Green; // viridis: dark purple -> yellow

    private static async Task<(Spectrogram, string)> ToneAsync(double hz, double startSeconds, double seconds = 3)
    {
        using var files = new TestSignals();
        string path = files.Write("tone.wav", 16000, seconds, TestSignals.Tone(hz));
        var s = await new SpectrogramAnalyzer(new SpectrogramOptions()).AnalyzeAsync(SignalSource.FromFile(path, "tone"), startSeconds);
        return (s, path);
    }
}
