using SamAudio.Storage.Sharding;

namespace SamAudio.Storage.Tests.Sharding;

/// <summary>Shard plans for samaudio-mini's windows (16 kHz, 10 s with 2 s overlap: an 8 s grid).</summary>
public sealed class ShardPlannerTests
{
    private static readonly TimeSpan TenMinutes = TimeSpan.FromMinutes(10);

    [Theory]
    [InlineData(16_000, 16_000L * 60 * 95)]   // 95 minutes
    [InlineData(48_000, 48_000L * 600)]       // exactly one shard length
    [InlineData(44_100, 44_100L * 601 + 17)]  // just over one shard
    [InlineData(8_000, 3)]                     // three frames
    public void Shards_tile_the_recording_on_the_window_grid_and_none_is_longer_than_the_setting(int rate, long frames)
    {
        var shards = Plan(rate, frames, null, null);

        Assert.Equal(0, shards[0].StartSample);
        Assert.Equal(frames, shards[^1].EndSample);
        for (var i = 0; i < shards.Count; i++)
        {
            Assert.Equal((i, shards.Count, (int?)rate), (shards[i].Index, shards[i].Count, shards[i].SampleRate));
            Assert.InRange(shards[i].EndSample!.Value - shards[i].StartSample, 1, rate * 600L);
            Assert.Equal(0, shards[i].StartSample % (rate * 8L)); // whole 8 s hops from the item's start
            if (i > 0) Assert.Equal(shards[i - 1].EndSample, shards[i].StartSample);
        }
        Assert.Equal((int)Math.Ceiling(frames / (rate * 600.0)), shards.Count);
    }

    [Fact]
    public void Inner_shards_read_context_on_both_sides_and_the_item_edges_read_none()
    {
        var shards = Plan(16_000, 16_000L * 1_500, null, null);

        Assert.Equal(3, shards.Count);
        Assert.Equal(0, shards[0].ContextBeforeSamples);
        Assert.True(shards[0].ContextAfterSamples >= 16_000 * 10, "at least one whole window after");
        Assert.True(shards[1].ContextBeforeSamples >= 16_000 * 10, "a hop, an overlap and the resampler's reach before");
        Assert.Equal(0, shards[1].ContextBeforeSamples % (16_000 * 8));
        Assert.Equal(0, shards[2].ContextAfterSamples);
    }

    [Fact]
    public void Item_range_is_honoured_and_context_stays_inside_it()
    {
        var shards = Plan(1_000, 1_000L * 3_600, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(40));

        Assert.Equal(3, shards.Count);
        Assert.Equal(600_000, shards[0].StartSample);
        Assert.Equal(2_400_000, shards[^1].EndSample);
        Assert.Equal(0, shards[0].ContextBeforeSamples);
        Assert.Equal(0, shards[^1].ContextAfterSamples);
        Assert.All(shards, s => Assert.Equal(0, (s.StartSample - 600_000) % 8_000));
    }

    [Fact]
    public void End_past_the_recording_is_clamped()
    {
        var shards = Plan(1_000, 60_000, null, TimeSpan.FromHours(2));

        Assert.Equal(60_000, Assert.Single(shards).EndSample);
    }

    [Fact]
    public void Start_past_the_end_of_the_recording_throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Plan(1_000, 60_000, TimeSpan.FromMinutes(5), null));
    }

    private static IReadOnlyList<SamAudio.Storage.WorkItems.ShardRange> Plan(int rate, long frames, TimeSpan? start, TimeSpan? end) =>
        ShardPlanner.Plan(rate, frames, start, end, TenMinutes, 16_000, 10, 2);
}
