using SamAudio.Core.Audio;
using SamAudio.Core.Dsp;
using SamAudio.Core.Pipeline;
using SamAudio.Core.Separation;
using SamAudio.Core.Tests.Audio;
using static SamAudio.Core.Tests.Dsp.BackgroundSuppressorTests;
using FloatWav = SamAudio.Core.Tests.Pipeline.FaithfulResidualTests.FloatWav;

namespace SamAudio.Core.Tests.Pipeline;

/// <summary>
/// "background": "suppress" through the whole data path (decision 0010): with a model that passes everything, the
/// target loses the steady bed and keeps the call, the residual takes what left, the two still sum to the recording
/// at its own rate, and run.json and the fingerprint say what was done.
/// </summary>
public sealed class BackgroundSuppressionTests : IDisposable
{
    private readonly TempDir _temp = new();

    [Theory]
    [InlineData(16_000, false)]
    [InlineData(48_000, false)]
    [InlineData(48_000, true)]
    public async Task The_bed_leaves_the_target_for_the_residual_and_the_two_still_sum_to_the_recording(int rate, bool faithful)
    {
        int frames = rate * 12;
        var recording = BedWithCall(rate, frames);
        string path = FloatWav.Write(_temp.File($"in-{rate}.wav"), rate, 1, recording);
        var request = Request(path, $"out-{rate}-{faithful}") with { Faithful = faithful, Background = BackgroundSuppressionOptions.Default };

        var record = await new RecordingSeparator(new PassThroughEngine()).RunAsync(request);

        Assert.Equal("completed", record.Status);
        Assert.Equal(BackgroundSuppressionOptions.Default, record.Parameters.Background);
        float[] target = Read(request, "a.target.wav"), residual = Read(request, "a.residual.wav");
        Assert.Equal(frames, target.Length);
        double worst = 0;
        for (int i = 0; i < frames; i++)
        {
            worst = Math.Max(worst, Math.Abs(target[i] + residual[i] - recording[i]));
        }

        Assert.True(worst <= 1e-5, $"|target + residual - recording| reaches {worst}");

        // The bed alone (7-11 s) falls by more than 10 dB in the target; the call (3-4 s, 20 dB above it) stays within 1.5 dB.
        double bed = Db(Energy(target, 7 * rate, 11 * rate) / Energy(recording, 7 * rate, 11 * rate));
        double call = Db(Energy(target, (3 * rate) + (rate / 10), (4 * rate) - (rate / 10)) / Energy(recording, (3 * rate) + (rate / 10), (4 * rate) - (rate / 10)));
        Assert.True(bed <= -10, $"the bed fell by {bed:F1} dB only");
        Assert.True(Math.Abs(call) <= 1.5, $"the call changed by {call:F2} dB");
    }

    [Fact]
    public async Task Kept_by_default_the_run_records_nothing_and_the_fingerprint_tells_the_two_apart()
    {
        string path = FloatWav.Write(_temp.File("in.wav"), 16_000, 1, BedWithCall(16_000, 16_000 * 3));
        var keep = Request(path, "keep");
        var suppress = keep with { Background = BackgroundSuppressionOptions.Default, OutputFolder = _temp.File("suppress") };
        var model = new PassThroughEngine().Description;

        var record = await new RecordingSeparator(new PassThroughEngine()).RunAsync(keep);

        Assert.Null(record.Parameters.Background);
        Assert.NotEqual(RunFingerprint.Compute(model, keep), RunFingerprint.Compute(model, suppress));
        Assert.NotEqual(
            RunFingerprint.Compute(model, suppress),
            RunFingerprint.Compute(model, suppress with { Background = new BackgroundSuppressionOptions { OverSubtraction = 2 } }));
    }

    private static float[] BedWithCall(int rate, int frames)
    {
        var x = Bed(frames, seed: rate, level: 0.01f);
        for (int i = 3 * rate; i < Math.Min(4 * rate, frames); i++)
        {
            x[i] += 0.1f * MathF.Sin(2 * MathF.PI * 1000 * i / rate);
        }

        return x;
    }

    private SeparationRequest Request(string recording, string folder) => new()
    {
        JobId = "job",
        ItemId = "item",
        RecordingPath = recording,
        RecordingLabel = Path.GetFileName(recording),
        Prompts = [new ItemPrompt("a", "a", true, true)],
        OutputFolder = _temp.File(folder),
        Fingerprint = "test",
    };

    private static float[] Read(SeparationRequest request, string name)
    {
        using var reader = AudioReaders.Open(Path.Combine(request.OutputFolder, name));
        return AudioTestKit.ReadAll(reader);
    }

    public void Dispose() => _temp.Dispose();
}
