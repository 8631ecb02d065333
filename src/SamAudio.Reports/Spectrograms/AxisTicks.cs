using System.Globalization;

namespace SamAudio.Reports.Spectrograms;

/// <summary>Round tick positions and their labels for the time and frequency axes.</summary>
internal static class AxisTicks
{
    private static readonly double[] TimeSteps = [0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 28800, 43200, 86400];
    private static readonly double[] FrequencySteps = [50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000];

    /// <summary>Ticks between <paramref name="from"/> and <paramref name="to"/> seconds, about <paramref name="target"/> of them.</summary>
    public static IReadOnlyList<double> Time(double from, double to, int target) => Ticks(from, to, target, TimeSteps);

    public static IReadOnlyList<double> Frequency(double nyquist, int target) => Ticks(0, nyquist, target, FrequencySteps);

    /// <summary>Recording time as h:mm:ss, m:ss or seconds, with decimals when the step needs them.</summary>
    public static string TimeLabel(double seconds, double end, double step)
    {
        double s = Math.Round(seconds, 1);
        double sec = s % 60;
        string secText = step < 1 ? sec.ToString("00.0", CultureInfo.InvariantCulture) : Math.Floor(sec + 1e-6).ToString("00", CultureInfo.InvariantCulture);
        if (end >= 3600) return string.Create(CultureInfo.InvariantCulture, $"{(int)(s / 3600)}:{(int)(s % 3600 / 60):00}:{secText}");
        if (end >= 60) return string.Create(CultureInfo.InvariantCulture, $"{(int)(s / 60)}:{secText}");
        return s.ToString(step < 1 ? "0.0" : "0", CultureInfo.InvariantCulture);
    }

    /// <summary>The time axis' title for a signal ending at <paramref name="end"/> seconds.</summary>
    public static string TimeTitle(double end) => end >= 3600 ? "recording time (h:mm:ss)" : end >= 60 ? "recording time (m:ss)" : "recording time (s)";

    private static List<double> Ticks(double from, double to, int target, double[] steps)
    {
        double span = Math.Max(to - from, 1e-9);
        double step = steps.FirstOrDefault(s => span / s <= target, steps[^1]);
        var ticks = new List<double>();
        for (double t = Math.Ceiling(from / step) * step; t <= to + 1e-9; t += step)
        {
            ticks.Add(Math.Round(t, 6));
        }

        return ticks;
    }
}
