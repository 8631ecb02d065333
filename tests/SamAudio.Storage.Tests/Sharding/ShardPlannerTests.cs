using SamAudio.Storage.Sharding;

namespace SamAudio.Storage.Tests.Sharding;

public sealed class ShardPlannerTests
{
    private static readonly TimeSpan TenMinutes = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan FiveSeconds = TimeSpan.FromSeconds(5);

    [Theory]
    [InlineData(16_000, 16_000L * 60 * 95)]   // 95 minutes
    [InlineData(48_000, 48_000L * 600)]       // exactly one shard length
    [InlineData(44_100, 44_100L * 601 + 17)]  // just over one shard
    [InlineData(8_000, 3)]                     // three frames
    public void Shards_tile_the_recording_without_gaps_and_none_is_longer_than_the_setting(int rate, long frames)
    {
        var shards = ShardPlanner.Plan(rate, frames, null, null, TenMinutes, FiveSeconds);

        Assert.Equal(0, shards[0].StartSample);
        Assert.Equal(frames, shards[^1].EndSample);
        for (var i = 0; i < shards.Count; i++)
        {
            Assert.Equal((i, shards.Count, (int?)rate), (shards[i].Index, shards[i].Count, shards[i].SampleRate));
            Assert.InRange(shards[i].EndSample!.Value - shards[i].StartSample, 1, rate * 600L);
            if (i > 0) Assert.Equal(shards[i - 1].EndSample, shards[i].StartSample);
        }
        Assert.Equal((int)Math.Ceiling(frames / (rate * 600.0)), shards.Count);
    }

    [Fact]
    public void Context_is_full_inside_the_recording_and_clamped_at_its_edges()
    {
        var shards = ShardPlanner.Plan(16_000, 16_000L * 1_500, null, null, TenMinutes, FiveSeconds);

        Assert.Equal(3, shards.Count);
        Assert.Equal(0, shards[0].ContextBeforeSamples);
        Assert.Equal(80_000, shards[0].ContextAfterSamples);
        Assert.Equal((80_000L, 80_000L), (shards[1].ContextBeforeSamples, shards[1].ContextAfterSamples));
        Assert.Equal(0, shards[2].ContextAfterSamples);
    }

    [Fact]
    public void Item_range_is_honoured_and_context_reaches_outside_it()
    {
        var shards = ShardPlanner.Plan(1_000, 1_000L * 3_600, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(40), TenMinutes, FiveSeconds);

        Assert.Equal(3, shards.Count);
        Assert.Equal(600_000, shards[0].StartSample);
        Assert.Equal(2_400_000, shards[^1].EndSample);
        Assert.Equal(5_000, shards[0].ContextBeforeSamples);
        Assert.Equal(5_000, shards[^1].ContextAfterSamples);
    }

    [Fact]
    public void End_past_the_recording_is_clamped()
    {
        var shards = ShardPlanner.Plan(1_000, 60_000, null, TimeSpan.FromHours(2), TenMinutes, FiveSeconds);

        Assert.Equal(60_000, Assert.Single(shards).EndSample);
    }

    [Fact]
    public void Start_past_the_end_of_the_recording_throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ShardPlanner.Plan(1_000, 60_000, TimeSpan.FromMinutes(5), null, TenMinutes, FiveSeconds));
    }
}
