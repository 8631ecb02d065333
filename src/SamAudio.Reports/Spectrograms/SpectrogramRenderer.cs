using System.Globalization;
using SamAudio.Core.Activity;
using SkiaSharp;

namespace SamAudio.Reports.Spectrograms;

/// <summary>
/// Where the parts of a spectrogram picture are, in pixels from the top-left corner. The spectrum starts at
/// (<c>PlotLeft</c>, <c>PlotTop</c>) with one pixel per <see cref="Spectrogram"/> cell, highest frequency on top.
/// </summary>
internal sealed record SpectrogramLayout(int Width, int Height, int PlotLeft, int PlotTop, int PlotWidth, int PlotHeight, int LegendLeft, int LegendWidth, int ActivityTop, int ActivityHeight);

/// <summary>
/// Draws a <see cref="Spectrogram"/> as a PNG: the spectrum one pixel per cell (time left to right in recording time,
/// frequency bottom to top in Hz), a strip above it marking activity regions, and a dB colour bar on the right.
/// </summary>
internal static class SpectrogramRenderer
{
    private const int Left = 64, Top = 30, ActivityStrip = 8, Gap = 4, Bottom = 38, LegendGap = 14, LegendBar = 14, LegendLabels = 56;
    private static readonly SKColor Background = SKColors.White, Ink = new(0x22, 0x22, 0x22), ActivityColour = new(0xE6, 0x55, 0x0D);

    public static SpectrogramLayout LayoutFor(Spectrogram s)
    {
        int plotTop = Top + ActivityStrip + Gap;
        int legendLeft = Left + s.Columns + LegendGap;
        return new SpectrogramLayout(legendLeft + LegendBar + LegendLabels, plotTop + s.Rows + Bottom, Left, plotTop, s.Columns, s.Rows, legendLeft, LegendBar, Top, ActivityStrip);
    }

    /// <summary>The PNG bytes. Colours span <paramref name="topDb"/> down to <paramref name="topDb"/> - <paramref name="rangeDb"/>.</summary>
    public static byte[] RenderPng(Spectrogram s, string title, IReadOnlyList<ActivityRegion> regions, double topDb, double rangeDb)
    {
        var layout = LayoutFor(s);
        using var bitmap = new SKBitmap(new SKImageInfo(layout.Width, layout.Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(Background);
            using var font = new SKFont(ReportFont.Typeface, 11);
            using var titleFont = new SKFont(ReportFont.Typeface, 13);
            using var ink = new SKPaint { Color = Ink, IsAntialias = true, StrokeWidth = 1 };
            canvas.DrawText(ReportFont.Printable(title), Left, 16, SKTextAlign.Left, titleFont, ink);
            DrawActivity(canvas, s, layout, regions, font, ink);
            DrawFrequencyAxis(canvas, s, layout, font, ink);
            DrawTimeAxis(canvas, s, layout, font, ink);
            DrawLegend(canvas, layout, topDb, rangeDb, font, ink);
        }

        FillSpectrum(bitmap, s, layout, topDb, rangeDb);
        using var image = SKImage.FromBitmap(bitmap);
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }

    private static void FillSpectrum(SKBitmap bitmap, Spectrogram s, SpectrogramLayout layout, double topDb, double rangeDb)
    {
        var pixels = bitmap.GetPixelSpan();
        int stride = bitmap.RowBytes;
        for (int c = 0; c < s.Columns; c++)
        {
            for (int r = 0; r < s.Rows; r++)
            {
                double v = (s.Db[(c * s.Rows) + r] - (topDb - rangeDb)) / rangeDb;
                var (red, green, blue) = Colormap.At(v);
                int y = layout.PlotTop + (s.Rows - 1 - r);
                int at = (y * stride) + ((layout.PlotLeft + c) * 4);
                pixels[at] = red;
                pixels[at + 1] = green;
                pixels[at + 2] = blue;
                pixels[at + 3] = 255;
            }
        }

        // The colour bar: top row = topDb.
        for (int y = 0; y < layout.PlotHeight; y++)
        {
            var (red, green, blue) = Colormap.At(1 - (y / (double)(layout.PlotHeight - 1)));
            for (int x = 0; x < layout.LegendWidth; x++)
            {
                int at = ((layout.PlotTop + y) * stride) + ((layout.LegendLeft + x) * 4);
                pixels[at] = red;
                pixels[at + 1] = green;
                pixels[at + 2] = blue;
                pixels[at + 3] = 255;
            }
        }
    }

    private static void DrawActivity(SKCanvas canvas, Spectrogram s, SpectrogramLayout layout, IReadOnlyList<ActivityRegion> regions, SKFont font, SKPaint ink)
    {
        using var fill = new SKPaint { Color = ActivityColour };
        using var track = new SKPaint { Color = new SKColor(0xEE, 0xEE, 0xEE) };
        canvas.DrawRect(layout.PlotLeft, layout.ActivityTop, layout.PlotWidth, layout.ActivityHeight, track);
        double secondsPerPixel = s.DurationSeconds / layout.PlotWidth;
        foreach (var r in regions)
        {
            double x0 = (r.StartSeconds - s.StartSeconds) / secondsPerPixel, x1 = (r.EndSeconds - s.StartSeconds) / secondsPerPixel;
            if (x1 < 0 || x0 > layout.PlotWidth) continue;
            x0 = Math.Max(0, x0);
            x1 = Math.Min(layout.PlotWidth, Math.Max(x1, x0 + 1)); // a short region still shows as one pixel
            canvas.DrawRect((float)(layout.PlotLeft + x0), layout.ActivityTop, (float)(x1 - x0), layout.ActivityHeight, fill);
        }

        canvas.DrawText("activity", layout.PlotLeft - 4, layout.ActivityTop + layout.ActivityHeight, SKTextAlign.Right, font, ink);
    }

    private static void DrawFrequencyAxis(SKCanvas canvas, Spectrogram s, SpectrogramLayout layout, SKFont font, SKPaint ink)
    {
        int bottom = layout.PlotTop + layout.PlotHeight;
        foreach (double hz in AxisTicks.Frequency(s.NyquistHz, 8))
        {
            float y = (float)(bottom - (hz / s.NyquistHz * layout.PlotHeight));
            canvas.DrawLine(layout.PlotLeft - 4, y, layout.PlotLeft, y, ink);
            canvas.DrawText(hz.ToString("0", CultureInfo.InvariantCulture), layout.PlotLeft - 6, y + 4, SKTextAlign.Right, font, ink);
        }

        canvas.Save();
        canvas.RotateDegrees(-90, 12, layout.PlotTop + (layout.PlotHeight / 2f));
        canvas.DrawText("frequency (Hz)", 12, layout.PlotTop + (layout.PlotHeight / 2f) + 4, SKTextAlign.Center, font, ink);
        canvas.Restore();
    }

    private static void DrawTimeAxis(SKCanvas canvas, Spectrogram s, SpectrogramLayout layout, SKFont font, SKPaint ink)
    {
        int y = layout.PlotTop + layout.PlotHeight;
        double end = s.StartSeconds + s.DurationSeconds;
        var ticks = AxisTicks.Time(s.StartSeconds, end, Math.Max(2, layout.PlotWidth / 90));
        double step = ticks.Count > 1 ? ticks[1] - ticks[0] : 1;
        foreach (double t in ticks)
        {
            float x = (float)(layout.PlotLeft + ((t - s.StartSeconds) / s.DurationSeconds * layout.PlotWidth));
            canvas.DrawLine(x, y, x, y + 4, ink);
            canvas.DrawText(AxisTicks.TimeLabel(t, end, step), x, y + 16, SKTextAlign.Center, font, ink);
        }

        canvas.DrawText(AxisTicks.TimeTitle(end), layout.PlotLeft + (layout.PlotWidth / 2f), y + 32, SKTextAlign.Center, font, ink);
    }

    private static void DrawLegend(SKCanvas canvas, SpectrogramLayout layout, double topDb, double rangeDb, SKFont font, SKPaint ink)
    {
        float x = layout.LegendLeft + layout.LegendWidth + 4;
        if (!double.IsFinite(topDb) || !double.IsFinite(rangeDb) || rangeDb <= 0)
        {
            return; // no scale to label (a non-finite top would never step below itself)
        }

        for (double db = topDb; db >= topDb - rangeDb - 1e-9; db -= rangeDb > 60 ? 20 : 10)
        {
            float y = (float)(layout.PlotTop + ((topDb - db) / rangeDb * (layout.PlotHeight - 1)));
            canvas.DrawLine(x - 4, y, x, y, ink);
            canvas.DrawText(((long)Math.Round(db)).ToString(CultureInfo.InvariantCulture), x + 2, y + 4, SKTextAlign.Left, font, ink);
        }

        canvas.DrawText("dBFS", layout.LegendLeft, layout.ActivityTop - 4, SKTextAlign.Left, font, ink);
    }
}
