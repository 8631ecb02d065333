namespace SamAudio.Reports.Spectrograms;

/// <summary>
/// Perceptually ordered dark-to-bright colours (viridis' anchor colours, linearly interpolated) for a value in 0..1,
/// readable in greyscale print and by most colour-blind readers.
/// </summary>
internal static class Colormap
{
    private static readonly (byte R, byte G, byte B)[] Anchors =
    [
        (68, 1, 84), (72, 40, 120), (62, 74, 137), (49, 104, 142), (38, 130, 142),
        (31, 158, 137), (53, 183, 121), (109, 205, 89), (180, 222, 44), (253, 231, 37),
    ];

    public static (byte R, byte G, byte B) At(double value)
    {
        double x = Math.Clamp(double.IsNaN(value) ? 0 : value, 0, 1) * (Anchors.Length - 1);
        int i = Math.Min((int)x, Anchors.Length - 2);
        double f = x - i;
        var (a, b) = (Anchors[i], Anchors[i + 1]);
        return ((byte)Math.Round(a.R + ((b.R - a.R) * f)), (byte)Math.Round(a.G + ((b.G - a.G) * f)), (byte)Math.Round(a.B + ((b.B - a.B) * f)));
    }
}
