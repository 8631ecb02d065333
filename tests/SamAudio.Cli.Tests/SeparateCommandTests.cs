using System.Text.Json;

namespace SamAudio.Cli.Tests;

[Trait("Category", "Model")]
public sealed class SeparateCommandTests
{
    private const int Rate = 16_000;

    [Fact]
    public async Task Separate_with_the_band_mask_pack_gives_target_and_residual_that_sum_to_the_mixture_with_exact_length()
    {
        using var dir = new TempFolder();
        // 200 Hz + 4 kHz, 23.7 s: three windows of the pack's 10 s / 2 s overlap, the last one padded.
        var mix = TestSignals.Sum(TestSignals.Sine(Rate, 23.7, 200, 0.2), TestSignals.Sine(Rate, 23.7, 4000, 0.2));
        TestWavWriter.Write(dir["mix.wav"], new RecordingFormat(Rate, 1, SampleEncoding.Float32), mix);

        var (code, stdout, stderr) = await CliRunner.RunAsync(
            "separate", dir["mix.wav"], "--prompt", "low rumble", "--model", "bandmask", "--output", "both", "--sample-rate", "model", "--out", dir["out"], "--json");

        Assert.True(code == 0, stderr);
        Assert.Equal("completed", JsonDocument.Parse(stdout).RootElement.GetProperty("status").GetString());
        var mixture = TestRecordings.ReadAll(dir["mix.wav"]);
        var target = TestRecordings.ReadAll(dir["out/mix/low-rumble.target.wav"]);
        var residual = TestRecordings.ReadAll(dir["out/mix/low-rumble.residual.wav"]);
        Assert.Equal(mixture.Length, target.Length);
        Assert.Equal(mixture.Length, residual.Length);
        double peakError = mixture.Select((m, i) => Math.Abs(target[i] + residual[i] - m)).Max();
        Assert.True(peakError <= 1e-5, $"target + residual differs from the mixture by {peakError}");

        // "low rumble" keeps the 200 Hz tone and removes the 4 kHz one.
        Assert.True(Level(target, 200) > 100 * Level(target, 4000), "target should hold the low tone");
        Assert.True(Level(residual, 4000) > 100 * Level(residual, 200), "residual should hold the high tone");
    }

    /// <summary>Amplitude of one frequency (Goertzel-style projection) over the middle of the signal.</summary>
    private static double Level(float[] x, double hz)
    {
        double re = 0, im = 0;
        for (int i = Rate; i < x.Length - Rate; i++)
        {
            double phase = 2 * Math.PI * hz * i / Rate;
            re += x[i] * Math.Cos(phase);
            im += x[i] * Math.Sin(phase);
        }

        return Math.Sqrt(re * re + im * im) / (x.Length - 2 * Rate);
    }
}
