using SamAudio.Core.Activity;
using SamAudio.Core.Pipeline;
using SamAudio.Core.Segmentation;
using SamAudio.Storage.WorkItems;

namespace SamAudio.Storage.Sharding;

/// <summary>
/// Splits the requested range of a recording into shards on the model's window grid (<see cref="ShardGrid"/>), so
/// that the shards' outputs put end to end are the bytes of one local run over the whole range.
/// </summary>
public static class ShardPlanner
{
    /// <summary>
    /// Plans shards of at most about <paramref name="shardLength"/> over [<paramref name="start"/>, <paramref name="end"/>)
    /// of a recording of <paramref name="totalFrames"/> frames at <paramref name="sampleRate"/>, for a model at
    /// <paramref name="modelRate"/> with windows of <paramref name="segmentSeconds"/> overlapping by
    /// <paramref name="overlapSeconds"/>. A null start/end means the recording's start/end; an end past the recording
    /// is clamped to it. Each shard carries the context it must read on each side, <paramref name="solveReachWindows"/>
    /// windows more for an engine that solves across windows (<see cref="ShardGrid.Plan"/>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The start is at or past the end of the range or recording.</exception>
    public static IReadOnlyList<ShardRange> Plan(int sampleRate, long totalFrames, TimeSpan? start, TimeSpan? end, TimeSpan shardLength,
        int modelRate, double segmentSeconds, double overlapSeconds, int solveReachWindows = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        ArgumentOutOfRangeException.ThrowIfNegative(totalFrames);
        ArgumentOutOfRangeException.ThrowIfLessThan(shardLength, TimeSpan.FromSeconds(1), nameof(shardLength));
        var (first, last, _) = ItemFrames.Resolve(start, end, sampleRate, totalFrames);
        if (first >= last)
            throw new ArgumentOutOfRangeException(nameof(start), start,
                $"The range starts at frame {first} but ends at frame {last} (the recording has {totalFrames} frames).");

        var segmentation = SegmentationOptions.FromSeconds(segmentSeconds, overlapSeconds, modelRate);
        int activityFrame = ActivityFrames.FrameSamples(modelRate, new ActivityOptions());
        return ShardGrid.Plan(sampleRate, modelRate, segmentation, activityFrame, first, last, Frames(shardLength, sampleRate), solveReachWindows)
            .Select(x => new ShardRange(x.Index, x.Count, sampleRate, x.StartFrame, x.EndFrame, x.StartFrame - x.ReadStartFrame, x.ReadEndFrame - x.EndFrame))
            .ToArray();
    }

    /// <summary>The single shard used when the recording's duration is unknown: the whole requested range.</summary>
    public static ShardRange Whole() => new(0, 1, null, 0, null, 0, 0);

    private static long Frames(TimeSpan time, int sampleRate) => (long)Math.Round(time.TotalSeconds * sampleRate);
}
