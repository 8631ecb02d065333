using SkiaSharp;

namespace SamAudio.Reports;

/// <summary>
/// The one typeface of every picture: DejaVu Sans reduced to ASCII (10 KB, Fonts/LICENSE-DejaVu.txt), embedded in
/// this assembly, so labels render on a host with no fonts and no fontconfig.
/// </summary>
internal static class ReportFont
{
    private static readonly Lazy<SKTypeface> Face = new(Load);

    public static SKTypeface Typeface => Face.Value;

    /// <summary>Characters the font has no glyph for become '?'.</summary>
    public static string Printable(string text) =>
        string.Create(text.Length, text, (span, s) =>
        {
            for (int i = 0; i < s.Length; i++) span[i] = s[i] is >= ' ' and <= '~' or '\u00b0' or '\u00b5' or '\u00d7' or '\u2013' or '\u2212' ? s[i] : '?';
        });

    private static SKTypeface Load()
    {
        using var stream = typeof(ReportFont).Assembly.GetManifestResourceStream("SamAudio.Reports.DejaVuSans-ascii.ttf")
            ?? throw new InvalidOperationException("The embedded font SamAudio.Reports.DejaVuSans-ascii.ttf is missing from the assembly.");
        using var data = SKData.Create(stream);
        return SKTypeface.FromData(data) ?? throw new InvalidOperationException("SkiaSharp could not read the embedded font.");
    }
}
