using SamAudio.Core.Activity;
using SamAudio.Core.Audio;
using SamAudio.Core.Pipeline;
using SamAudio.Core.Segmentation;
using SamAudio.Core.Tests.Audio;

namespace SamAudio.Core.Tests.Pipeline;

/// <summary>
/// Shards of the <see cref="ShardGrid"/> put end to end give the same bytes as one run over the whole item: the
/// promise that lets many workers share one recording (docs/architecture.md, "Shards").
/// </summary>
public sealed class ShardSeparatorTests
{
    private static readonly ItemPrompt[] Prompts = [new("a", "a", true, true), new("b", "b", true, false)];

    [Theory]
    [InlineData(8_000, 1, "mix", OutputRateMode.Source)]
    [InlineData(16_000, 1, "mix", OutputRateMode.Source)]
    [InlineData(22_050, 1, "mix", OutputRateMode.Source)]
    [InlineData(44_100, 2, "mix", OutputRateMode.Source)]
    [InlineData(48_000, 2, "1", OutputRateMode.Source)]
    [InlineData(96_000, 1, "mix", OutputRateMode.Source)]
    [InlineData(44_100, 1, "mix", OutputRateMode.Model)]
    [InlineData(48_000, 1, "mix", OutputRateMode.Source, 0.45)] // a hop of 1.55 s: not a whole number of resampler blocks
    [InlineData(8_000, 1, "mix", OutputRateMode.Source, 0.45)]
    public async Task Shards_put_end_to_end_are_the_same_bytes_as_the_whole_item(int rate, int channels, string channel, OutputRateMode outputRate, double overlap = 0.5)
    {
        using var dir = new TempDir();
        var spec = new WavSpec(rate, channels, 16);
        string recording = TestWav.Write(dir.File("in.wav"), spec, (int)(rate * 21.3));
        var engine = new WindowSensitiveEngine(overlapSeconds: overlap); // the engine's windowing is what the shards run with
        var segmentation = SegmentationOptions.FromSeconds(2, overlap, 16_000);

        // An item range that starts off the recording's start, so the grid is counted from the item, not the file.
        long start = (long)(rate * 1.7), end = (long)(rate * 20.9);
        var shards = ShardGrid.Plan(rate, 16_000, segmentation, ActivityFrames.FrameSamples(16_000, new ActivityOptions()), start, end, rate * 4L);
        Assert.True(shards.Count >= 4, $"{shards.Count} shards");

        var whole = await SeparateAsync(engine, recording, ShardSpan.Whole(start, end), channel, outputRate, dir.File("whole"));
        var parts = new List<Separated>();
        foreach (var shard in shards)
        {
            parts.Add(await SeparateAsync(engine, recording, shard, channel, outputRate, dir.File($"shard{shard.Index}")));
        }

        foreach (var name in whole.Files.Keys)
        {
            byte[] joined = parts.SelectMany(p => p.Files[name]).ToArray();
            Assert.Equal(whole.Files[name].Length, joined.Length);
            Assert.True(whole.Files[name].AsSpan().SequenceEqual(joined), $"{name} differs at byte {FirstDifference(whole.Files[name], joined)}");
        }

        for (int p = 0; p < Prompts.Length; p++)
        {
            Assert.Equal(whole.Activity[p], parts.SelectMany(s => s.Activity[p]).ToList());
        }
    }

    [Fact]
    public async Task Shard_frames_and_reads_cover_the_item_exactly()
    {
        var segmentation = SegmentationOptions.FromSeconds(10, 2, 16_000);
        var shards = ShardGrid.Plan(44_100, 16_000, segmentation, 1600, 441, 44_100L * 3600, 44_100L * 600);

        Assert.Equal(441, shards[0].StartFrame);
        Assert.Equal(441, shards[0].ReadStartFrame);
        Assert.Equal(44_100L * 3600, shards[^1].EndFrame);
        Assert.Equal(44_100L * 3600, shards[^1].ReadEndFrame);
        for (int i = 1; i < shards.Count; i++)
        {
            Assert.Equal(shards[i - 1].EndFrame, shards[i].StartFrame);
            Assert.True(shards[i].ReadStartFrame < shards[i].StartFrame);
            Assert.True(shards[i - 1].ReadEndFrame > shards[i - 1].EndFrame);
            Assert.Equal(0, (shards[i].StartFrame - 441) % (44_100 * 8)); // whole hops of 8 s from the item's start
        }

        Assert.InRange(shards.Count, 6, 8);
        await Task.CompletedTask;
    }

    private static async Task<Separated> SeparateAsync(WindowSensitiveEngine engine, string recording, ShardSpan span, string channel, OutputRateMode outputRate, string folder)
    {
        using var reader = AudioReaders.Open(recording);
        var request = new ShardRequest { Prompts = Prompts, Channel = ChannelSelection.Parse(channel), OutputRate = outputRate, Span = span };
        var announced = new Dictionary<string, long?>();
        using var separated = await new ShardSeparator(engine).SeparateAsync(
            reader, request, (prompt, kind, _, frames) =>
            {
                announced[$"{prompt.Slug}.{kind}.wav"] = frames;
                return new RawFloatWriter(Path.Combine(folder, $"{prompt.Slug}.{kind}.raw"));
            });
        var completed = await separated.CompleteAsync();

        // A length announced before the first sample (so a WAV writer can hash as it writes) is the length written.
        foreach (var output in completed)
        {
            if (announced[output.FileName] is { } frames)
            {
                Assert.Equal(frames, output.Frames);
            }
        }

        var files = completed.ToDictionary(c => c.FileName, c => File.ReadAllBytes(Path.Combine(folder, $"{c.Prompt.Slug}.{c.Kind}.raw")));
        return new Separated(files, separated.ActivityFrames());
    }

    private static int FirstDifference(byte[] a, byte[] b)
    {
        int n = Math.Min(a.Length, b.Length);
        for (int i = 0; i < n; i++)
        {
            if (a[i] != b[i])
            {
                return i;
            }
        }

        return n;
    }

    private sealed record Separated(Dictionary<string, byte[]> Files, IReadOnlyList<IReadOnlyList<ActivityFrame>> Activity);
}
