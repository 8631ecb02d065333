namespace SamAudio.Core.Pipeline;

/// <summary>
/// The frames an item's time range covers, the one rounding every part uses (the local run, ingestion's shard plan,
/// the worker): start and end rounded to the nearest frame, a missing start the recording's start, a missing or
/// too late end the recording's end.
/// </summary>
public static class ItemFrames
{
    /// <summary>
    /// [start, end) in frames of a recording of <paramref name="frames"/> frames at <paramref name="sampleRate"/> (the
    /// range may be empty); <c>EndClamped</c> says the asked end lay past the recording.
    /// </summary>
    public static (long Start, long End, bool EndClamped) Resolve(TimeSpan? start, TimeSpan? end, int sampleRate, long frames)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        long first = start is { } s ? (long)Math.Round(s.TotalSeconds * sampleRate) : 0;
        long last = end is { } e ? (long)Math.Round(e.TotalSeconds * sampleRate) : frames;
        return (first, Math.Min(last, frames), last > frames);
    }
}
