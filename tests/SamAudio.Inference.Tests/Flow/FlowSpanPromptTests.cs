using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using SamAudio.Core.Activity;
using SamAudio.Core.Segmentation;
using SamAudio.Core.Separation;
using SamAudio.Inference.Flow;
using SamAudio.Inference.Packs;
using SamAudio.Inference.Tests.Support;
using static SamAudio.Inference.Tests.Flow.FlowMultiDiffusionTests;

namespace SamAudio.Inference.Tests.Flow;

/// <summary>
/// Span prompts (SAM-Audio's anchors) through multi-diffusion with the miniature pack, whose DiT works on each latent
/// frame alone: an anchor can change only the frames it covers, so outside them the bytes must not move at all.
/// </summary>
[Trait("Category", "Model")]
public sealed class FlowSpanPromptTests
{
    private const int Rate = 48_000, Frame = 1920;
    private const int Window = 96_000, Hop = 76_800;

    private static readonly PromptSpan[] DogSpans = [new(2.5, 3.3, Present: true), new(4.0, 4.5, Present: false)];

    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(0.04, 1)]      // exactly frame 1's first sample
    [InlineData(0.0401, 2)]    // just after it: the frame after (upstream's ceil)
    [InlineData(2.5, 63)]
    [InlineData(6.3, 158)]
    public void A_time_maps_to_the_first_frame_starting_at_or_after_it(double seconds, long frame) =>
        Assert.Equal(frame, FlowAnchors.Frame(seconds));

    [Fact]
    public void A_window_sees_the_part_of_each_span_that_overlaps_it()
    {
        long[] alignment = new long[10];
        FlowAnchors.Fill([new(0.0, 0.2, true), new(0.32, 10, false)], 3, alignment);   // frames [0, 5) and [8, 250)

        Assert.Equal([2L, 2, 0, 0, 0, 3, 3, 3, 3, 3], alignment);
        FlowAnchors.Fill(null, 3, alignment);
        Assert.All(alignment, a => Assert.Equal(0L, a));
    }

    [Fact]
    public async Task Without_spans_the_bytes_are_those_of_a_pack_with_the_text_only_anchors_built_in()
    {
        float[] recording = Signals.Noise(5 * Rate, seed: 4);
        var fed = await RunAsync(TestPaths.SamAudioTiny, recording, spans: null);
        var builtIn = await RunAsync(PackWithoutAnchorInputs(), recording, spans: null);

        Assert.Equal(builtIn.Targets, fed.Targets);
        Assert.Equal(builtIn.Residuals, fed.Residuals);
    }

    [Fact]
    public async Task A_span_changes_the_frames_it_covers_and_no_other()
    {
        float[] recording = Signals.Noise(6 * Rate, seed: 6);
        var plain = await RunAsync(TestPaths.SamAudioTiny, recording, spans: null);
        var spanned = await RunAsync(TestPaths.SamAudioTiny, recording, spans: DogSpans);

        // Present: frames 63-82 (samples 120 960 - 159 359); absent: frames 100-112 (192 000 - 216 959).
        (int Start, int End)[] covered = [(63 * Frame, 83 * Frame), (100 * Frame, 113 * Frame)];
        float[] a = plain.Target(0), b = spanned.Target(0);
        int outside = 0;
        for (int i = 0; i < a.Length; i++)
        {
            if (!covered.Any(c => i >= c.Start && i < c.End))
            {
                Assert.Equal(a[i], b[i]);
                outside++;
            }
        }

        Assert.True(outside > 0);
        foreach (var (start, end) in covered)
        {
            Assert.True(Signals.PeakDifference(a.AsSpan(start, end - start), b.AsSpan(start, end - start)) > 1e-3);
        }

        Assert.Equal(plain.Target(1), spanned.Target(1));       // the other prompt has no spans
        Assert.Equal(plain.Residual(1), spanned.Residual(1));
    }

    [Fact]
    public async Task Shards_on_the_grid_give_the_whole_runs_bytes_with_spans()
    {
        const int steps = 2;
        float[] recording = Signals.Tones(30 * Rate, Rate, (440, 0.3), (2500, 0.1));
        PromptSpan[] spans = [new(3.0, 9.7, true), new(11.5, 21.02, false), new(24.4, 25, true)];
        var shards = ShardGrid.Plan(Rate, Rate, new SegmentationOptions(Window, Window - Hop), ActivityFrames.FrameSamples(Rate, new ActivityOptions()),
            0, recording.Length, 10L * Rate, ShardGrid.MultiDiffusionReachWindows(steps));
        var whole = await RunAsync(TestPaths.SamAudioTiny, recording, spans, steps);
        Assert.True(shards.Count >= 3);

        foreach (var shard in shards)
        {
            float[] read = recording[(int)shard.ReadStartFrame..(int)shard.ReadEndFrame];
            var run = await RunAsync(TestPaths.SamAudioTiny, read, spans, steps, shard.ReadStartFrame);
            int skip = (int)(shard.StartFrame - shard.ReadStartFrame), n = (int)shard.Frames;
            Assert.Equal(whole.Target(0).AsSpan((int)shard.StartFrame, n).ToArray(), run.Target(0).AsSpan(skip, n).ToArray());
            Assert.Equal(whole.Residual(0).AsSpan((int)shard.StartFrame, n).ToArray(), run.Residual(0).AsSpan(skip, n).ToArray());
        }
    }

    [Fact]
    public async Task A_pack_without_anchor_inputs_refuses_span_prompts_naming_the_model_and_the_way_out()
    {
        await using var engine = await OpenAsync(PackWithoutAnchorInputs(), steps: 1);
        var batch = (await engine.EncodePromptsAsync(["a dog barking", "rain on the roof"])).WithSpans([DogSpans, []]);
        float[] window = new float[Frame], targets = new float[2 * Frame], residuals = new float[2 * Frame];

        Assert.False(engine.TakesSpanPrompts);
        var e = await Assert.ThrowsAsync<ArgumentException>(async () => await engine.SeparateAsync(window, batch, targets, residuals));
        Assert.Contains("sam-audio-tiny", e.Message, StringComparison.Ordinal);
        Assert.Contains("anchor_ids", e.Message, StringComparison.Ordinal);
        Assert.Contains("export.py", e.Message, StringComparison.Ordinal);
        await using var anchored = await OpenAsync(TestPaths.SamAudioTiny, steps: 1);
        Assert.True(anchored.TakesSpanPrompts);
    }

    /// <summary>The miniature pack as packs made before span prompts are: dit_velocity with the text-only anchors inside.</summary>
    internal static string PackWithoutAnchorInputs()
    {
        string folder = TestPaths.CopyOf(TestPaths.SamAudioTiny);
        File.Copy(Path.Combine(TestPaths.FlowData, "dit_velocity.no_anchor_inputs.onnx"), Path.Combine(folder, "dit_velocity.onnx"), overwrite: true);
        string path = Path.Combine(folder, ModelPack.ManifestFileName);
        var json = JsonNode.Parse(File.ReadAllText(path))!;
        var inputs = json["graphs"]!["dit_velocity"]!["inputs"]!.AsArray();
        inputs.RemoveAt(inputs.Count - 1);
        inputs.RemoveAt(inputs.Count - 1);
        json["files"]!["dit_velocity.onnx"] = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(folder, "dit_velocity.onnx"))));
        File.WriteAllText(path, json.ToJsonString());
        return folder;
    }

    private static async Task<Recorder> RunAsync(string pack, float[] recording, PromptSpan[]? spans, int steps = 3, long startSample = 0)
    {
        await using var engine = await OpenAsync(pack, steps);
        var batch = await engine.EncodePromptsAsync(["a dog barking", "rain on the roof"]);
        if (spans is not null)
        {
            batch = batch.WithSpans([spans, []]);
        }

        var recorder = new Recorder(2);
        await new SegmentedSeparator(engine, new SegmentationOptions(Window, Window - Hop) { StartSample = startSample }).RunAsync(new ArraySource(recording), batch, recorder);
        return recorder;
    }

    private static Task<ISeparationEngine> OpenAsync(string pack, int steps) =>
        ModelEngines.OpenAsync(new ModelCatalog([]), pack,
            new InferenceOptions { Device = InferenceDevice.Cpu, Seed = 5, Steps = steps, LongAudio = LongAudioMethod.MultiDiffusion }, NullLogger.Instance);
}
