using NAudio.Wave;
using SamAudio.Core.Activity;
using SamAudio.Core.Pipeline;
using SamAudio.Core.Provenance;
using SamAudio.Core.Separation;
using SamAudio.Core.Tests.Audio;

namespace SamAudio.Core.Tests.Pipeline;

/// <summary>
/// The activity tables are made with the model pack's settings when the caller gives none, and <c>run.json</c> says
/// which settings and where they came from. The pass-through target is the recording: two 1 s bursts 0.5 s apart.
/// </summary>
public sealed class PackActivitySettingsTests : IDisposable
{
    private const int Rate = 16_000;
    private readonly TempDir temp = new();

    private static readonly ActivityOptions PackSettings = new()
    {
        MaxGapSeconds = 0.8,
        Confidence = new ActivityConfidence("test calibration", [new(0, 0.1), new(1, 0.6)]),
        Source = "model pack test 1",
        ChosenOn = "a test soundscape",
    };

    [Fact]
    public async Task The_pack_s_settings_bridge_the_gap_calibrate_the_confidence_and_are_recorded()
    {
        var (record, csv) = await RunAsync(new PackEngine(PackSettings), options: null);

        // One region across the 0.5 s gap; every frame's share is 1, which the calibration reads as 0.6.
        Assert.Equal(["start,end,level_db,confidence", "1.000,3.500,-6.99,0.600"], csv);
        var recorded = record.Parameters.Activity!;
        Assert.Equal("model pack test 1", recorded.Source);
        Assert.Equal("a test soundscape", recorded.ChosenOn);
        Assert.Equal(0.8, recorded.MaxGapSeconds);
        Assert.Equal("test calibration", recorded.Confidence!.Meaning);
        string json = File.ReadAllText(Path.Combine(temp.File("out"), "run.json"));
        Assert.Contains("\"chosenOn\": \"a test soundscape\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_pack_settings_the_defaults_split_the_bursts_and_are_recorded_as_defaults()
    {
        var (record, csv) = await RunAsync(new PackEngine(null), options: null);

        Assert.Equal(["start,end,level_db,confidence", "1.000,2.000,-6.02,1.000", "2.500,3.500,-6.02,1.000"], csv);
        Assert.Equal("defaults", record.Parameters.Activity!.Source);
        Assert.Null(record.Parameters.Activity.Confidence);
    }

    [Fact]
    public async Task Options_the_caller_gives_win_over_the_pack_s()
    {
        var (record, csv) = await RunAsync(new PackEngine(PackSettings), new ActivityOptions { MaxGapSeconds = 0 });

        Assert.Equal(3, csv.Length);
        Assert.Null(record.Parameters.Activity!.Source);
        Assert.Equal(0, record.Parameters.Activity.MaxGapSeconds);
    }

    private async Task<(RunRecord Record, string[] Csv)> RunAsync(ISeparationEngine engine, ActivityOptions? options)
    {
        string recording = temp.File("in.wav");
        using (var writer = new WaveFileWriter(recording, WaveFormat.CreateIeeeFloatWaveFormat(Rate, 1)))
        {
            var samples = new float[5 * Rate];
            for (int i = 0; i < samples.Length; i++)
            {
                double t = i / (double)Rate;
                samples[i] = t is (>= 1 and < 2) or (>= 2.5 and < 3.5) ? 0.5f : 0f;
            }

            writer.WriteSamples(samples, 0, samples.Length);
        }

        var request = new SeparationRequest
        {
            JobId = "job",
            ItemId = "item",
            RecordingPath = recording,
            RecordingLabel = "in.wav",
            Prompts = [new ItemPrompt("a", "a", true, false)],
            OutputFolder = temp.File("out"),
            Fingerprint = "test",
        };
        var record = await new RecordingSeparator(engine, options).RunAsync(request);
        Assert.True(record.Status == "completed", record.Error);
        return (record, File.ReadAllLines(Path.Combine(request.OutputFolder, "a.activity.csv")));
    }

    public void Dispose() => temp.Dispose();

    /// <summary>The pass-through engine as a model pack with <paramref name="activity"/> in its description.</summary>
    private sealed class PackEngine(ActivityOptions? activity) : ISeparationEngine
    {
        private readonly PassThroughEngine _inner = new();

        public EngineDescription Description => _inner.Description with { Activity = activity };

        public ValueTask<PromptBatch> EncodePromptsAsync(IReadOnlyList<string> prompts, CancellationToken cancellationToken = default) =>
            _inner.EncodePromptsAsync(prompts, cancellationToken);

        public ValueTask SeparateAsync(ReadOnlyMemory<float> window, PromptBatch prompts, Memory<float> targets, Memory<float> residuals, CancellationToken cancellationToken = default) =>
            _inner.SeparateAsync(window, prompts, targets, residuals, cancellationToken);

        public ValueTask DisposeAsync() => _inner.DisposeAsync();
    }
}
