namespace SamAudio.Core.Segmentation;

/// <summary>Window length and overlap, in samples at the model's rate.</summary>
public sealed record SegmentationOptions
{
    public SegmentationOptions(int windowSamples, int overlapSamples)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(windowSamples, 2);
        ArgumentOutOfRangeException.ThrowIfNegative(overlapSamples);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(overlapSamples, windowSamples / 2);
        WindowSamples = windowSamples;
        OverlapSamples = overlapSamples;
    }

    /// <summary>Samples the model sees per call; every window has exactly this length (the last is zero-padded).</summary>
    public int WindowSamples { get; }

    /// <summary>Samples shared by neighbouring windows, crossfaded; at most half a window.</summary>
    public int OverlapSamples { get; }

    /// <summary>
    /// Sample of the recording, at the model's rate, where the first window starts (a shard's read start); engines
    /// get each window's absolute position from it. It never changes which samples are read or emitted.
    /// </summary>
    public long StartSample { get; init; }

    /// <summary>
    /// When set, each window's targets lose the window's steady background after the model (<see cref="Dsp.BackgroundSuppressor"/>,
    /// decision 0010); null keeps them as the model made them.
    /// </summary>
    public Dsp.BackgroundSuppressionOptions? Background { get; init; }

    /// <summary>Distance between window starts.</summary>
    public int HopSamples => WindowSamples - OverlapSamples;

    /// <summary>Options from seconds at <paramref name="sampleRate"/>, rounded to whole samples.</summary>
    public static SegmentationOptions FromSeconds(double segmentSeconds, double overlapSeconds, int sampleRate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(segmentSeconds, 0);
        ArgumentOutOfRangeException.ThrowIfNegative(overlapSeconds);
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1);
        return new SegmentationOptions(
            (int)Math.Round(segmentSeconds * sampleRate),
            (int)Math.Round(overlapSeconds * sampleRate));
    }

    /// <summary>
    /// The windows an item gets, in seconds: its own <paramref name="segmentSeconds"/> and
    /// <paramref name="overlapSeconds"/> where set (null where not), else the model pack's preferred ones; the
    /// preferred overlap is capped at half the window. An overlap the item set is not capped: the caller checks it.
    /// </summary>
    public static (double SegmentSeconds, double OverlapSeconds) Resolve(
        double? segmentSeconds, double? overlapSeconds, double preferredSegmentSeconds, double preferredOverlapSeconds)
    {
        double segment = segmentSeconds ?? preferredSegmentSeconds;
        return (segment, overlapSeconds ?? Math.Min(preferredOverlapSeconds, segment / 2));
    }

    /// <summary>Number of windows a recording of <paramref name="totalSamples"/> samples is cut into.</summary>
    public long WindowCount(long totalSamples) =>
        totalSamples <= WindowSamples ? 1 : 1 + CeilDiv(totalSamples - WindowSamples, HopSamples);

    private static long CeilDiv(long a, long b) => (a + b - 1) / b;
}
