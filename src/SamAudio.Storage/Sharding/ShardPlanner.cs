using SamAudio.Storage.WorkItems;

namespace SamAudio.Storage.Sharding;

/// <summary>Splits the requested range of a recording into shards of at most a given length, with context on both sides.</summary>
public static class ShardPlanner
{
    /// <summary>
    /// Plans shards over [<paramref name="start"/>, <paramref name="end"/>) of a recording of <paramref name="totalFrames"/>
    /// frames. Shards have (nearly) equal length, at most <paramref name="shardLength"/>; each reads up to
    /// <paramref name="context"/> more on each side, clamped to the recording. A null start/end means the recording's
    /// start/end; an end past the recording is clamped to it.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The start is at or past the end of the range or recording.</exception>
    public static IReadOnlyList<ShardRange> Plan(int sampleRate, long totalFrames, TimeSpan? start, TimeSpan? end, TimeSpan shardLength, TimeSpan context)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        ArgumentOutOfRangeException.ThrowIfNegative(totalFrames);
        ArgumentOutOfRangeException.ThrowIfLessThan(shardLength, TimeSpan.FromSeconds(1), nameof(shardLength));
        ArgumentOutOfRangeException.ThrowIfLessThan(context, TimeSpan.Zero, nameof(context));
        var first = start is { } s ? Frames(s, sampleRate) : 0;
        var last = Math.Min(end is { } e ? Frames(e, sampleRate) : totalFrames, totalFrames);
        if (first >= last)
            throw new ArgumentOutOfRangeException(nameof(start), start,
                $"The range starts at frame {first} but ends at frame {last} (the recording has {totalFrames} frames).");

        var length = last - first;
        var maxShard = Frames(shardLength, sampleRate);
        var count = (int)((length + maxShard - 1) / maxShard);
        var contextFrames = Frames(context, sampleRate);
        var shards = new ShardRange[count];
        for (var i = 0; i < count; i++)
        {
            // Equal split (rounded) so the last shard is not a sliver.
            var from = first + (long)((double)length * i / count);
            var to = i == count - 1 ? last : first + (long)((double)length * (i + 1) / count);
            shards[i] = new ShardRange(i, count, sampleRate, from, to,
                Math.Min(contextFrames, from), Math.Min(contextFrames, totalFrames - to));
        }
        return shards;
    }

    /// <summary>The single shard used when the recording's duration is unknown: the whole requested range.</summary>
    public static ShardRange Whole() => new(0, 1, null, 0, null, 0, 0);

    private static long Frames(TimeSpan time, int sampleRate) => (long)Math.Round(time.TotalSeconds * sampleRate);
}
