using System.Buffers.Binary;
using SamAudio.Core.Audio;
using SamAudio.Core.Pipeline;
using SamAudio.Core.Separation;
using SamAudio.Core.Tests.Audio;

namespace SamAudio.Core.Tests.Pipeline;

/// <summary>NaN and infinite samples never reach an output: the item fails, or with "nonFinite": "zero" they become silence.</summary>
public sealed class NonFiniteSamplesTests : IDisposable
{
    private const int Rate = 16_000;
    private readonly TempDir temp = new();

    [Theory]
    [InlineData(float.NaN, "NaN")]
    [InlineData(float.PositiveInfinity, "+Inf")]
    [InlineData(float.NegativeInfinity, "-Inf")]
    public async Task Non_finite_input_fails_the_item_naming_file_time_and_channel_and_leaves_no_audio(float bad, string kind)
    {
        var request = Request(WithBadSamples(bad, (36_000, 1), (40_000, 0)), NonFiniteSamples.Fail);

        var record = await new RecordingSeparator(new PassThroughEngine()).RunAsync(request);

        Assert.Equal("failed", record.Status);
        Assert.Equal($"'in.wav' holds a non-finite sample ({kind}) at 00:00:02.250 (channel 2). Repair the file, or set \"nonFinite\": \"zero\" on the item to replace such samples with silence (not allowed for \"purpose\": \"forensic\").", record.Error);
        Assert.Equal(["run.json"], Directory.GetFiles(request.OutputFolder).Select(Path.GetFileName));
    }

    [Fact]
    public async Task With_zero_the_samples_become_silence_and_run_json_counts_them()
    {
        var request = Request(WithBadSamples(float.NaN, (36_000, 1), (40_000, 0), (40_001, 0)), NonFiniteSamples.Zero);

        var record = await new RecordingSeparator(new PassThroughEngine()).RunAsync(request);

        Assert.Equal("completed", record.Status);
        Assert.Equal("zero", record.Parameters.NonFinite);
        Assert.Contains("'in.wav': replaced 3 non-finite sample(s) with silence (\"nonFinite\": \"zero\"); the first was NaN at 00:00:02.250 (channel 2)", record.Warnings);
        using var output = AudioReaders.Open(Path.Combine(request.OutputFolder, "a.target.wav"));
        Assert.All(AudioTestKit.ReadAll(output), s => Assert.True(float.IsFinite(s)));
    }

    [Fact]
    public async Task A_model_that_writes_NaN_fails_the_item_and_leaves_no_audio()
    {
        var request = Request(WithBadSamples(0.25f), NonFiniteSamples.Fail);

        var record = await new RecordingSeparator(new NaNEngine()).RunAsync(request);

        Assert.Equal("failed", record.Status);
        Assert.StartsWith("the separation produced a non-finite sample (NaN) in 'a.target.wav'", record.Error);
        Assert.Equal(["run.json"], Directory.GetFiles(request.OutputFolder).Select(Path.GetFileName));
    }

    /// <summary>A 3 s stereo float WAV of the test signal with <paramref name="value"/> at the given frames and channels.</summary>
    private string WithBadSamples(float value, params (int Frame, int Channel)[] at)
    {
        var bytes = TestWav.Build(new WavSpec(Rate, 2, 32, Float: true), Rate * 3);
        int data = bytes.AsSpan().IndexOf("data"u8) + 8;
        foreach (var (frame, channel) in at)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(data + (((frame * 2) + channel) * 4)), value);
        }

        string path = temp.File("in.wav");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private SeparationRequest Request(string recording, NonFiniteSamples nonFinite) => new()
    {
        JobId = "job",
        ItemId = "item",
        RecordingPath = recording,
        RecordingLabel = Path.GetFileName(recording),
        Prompts = [new ItemPrompt("a", "a", true, true)],
        SegmentSeconds = 1,
        OverlapSeconds = 0.25,
        NonFinite = nonFinite,
        OutputFolder = temp.File("out"),
        Fingerprint = "test",
    };

    public void Dispose() => temp.Dispose();

    /// <summary>A broken model: its target holds a NaN in the middle of every window.</summary>
    private sealed class NaNEngine : ISeparationEngine
    {
        public EngineDescription Description { get; } = new("nan", "1", "test", Rate, 1, 0.25, []);

        public ValueTask<PromptBatch> EncodePromptsAsync(IReadOnlyList<string> prompts, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(new PromptBatch(prompts, new float[prompts.Count], [prompts.Count, 1]));

        public ValueTask SeparateAsync(ReadOnlyMemory<float> window, PromptBatch prompts, Memory<float> targets, Memory<float> residuals, CancellationToken cancellationToken = default)
        {
            window.Span.CopyTo(targets.Span);
            residuals.Span.Clear();
            targets.Span[window.Length / 2] = float.NaN;
            return ValueTask.CompletedTask;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
