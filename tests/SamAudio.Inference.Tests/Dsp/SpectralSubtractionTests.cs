using SamAudio.Core.Evaluation;
using SamAudio.Inference.Dsp;

namespace SamAudio.Inference.Tests.Dsp;

public sealed class SpectralSubtractionTests
{
    private const int Rate = 16_000;

    private static float[] WhiteNoise(int n, double rms, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ =>
        {
            double u = 1 - random.NextDouble(), v = random.NextDouble();
            return (float)(rms * Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v));
        }).ToArray();
    }

    [Fact]
    public void Tone_in_noise_gains_SI_SDR_and_noise_alone_is_turned_down()
    {
        // 20 s of white noise at -30 dBFS RMS; a 1 kHz tone in [8 s, 10 s) at 0 dB SNR.
        int n = 20 * Rate;
        var noise = WhiteNoise(n, 0.0316, seed: 7);
        var tone = new float[n];
        for (int i = 8 * Rate; i < 10 * Rate; i++)
        {
            tone[i] = (float)(0.0447 * Math.Sin(2 * Math.PI * 1000 * i / Rate));
        }

        var mixture = noise.Select((x, i) => x + tone[i]).ToArray();

        var clean = SpectralSubtraction.Denoise(mixture, Rate); // defaults: 9.2 dB SI-SDRi, noise alone -9.7 dB (musical noise left)

        var span = new SoundEvent("tone", 8, 10, 0, false, "", false);
        double improvement = EventSpans.SiSdrImprovement(clean, mixture, tone, span, Rate);
        double noiseOnly = SeparationMetrics.RelativeEnergyDb(clean.AsSpan(Rate, 6 * Rate), mixture.AsSpan(Rate, 6 * Rate));
        Assert.Equal(n, clean.Length);
        Assert.True(improvement > 6, $"SI-SDRi {improvement:F2} dB");
        Assert.True(noiseOnly < -6, $"noise-only stretch kept {noiseOnly:F2} dB");
        Assert.All(clean, x => Assert.True(float.IsFinite(x)));
    }

    [Fact]
    public void Silence_stays_silent_and_short_input_passes_through()
    {
        Assert.All(SpectralSubtraction.Denoise(new float[3 * Rate], Rate), x => Assert.Equal(0f, x));
        float[] shortInput = [0.1f, -0.2f, 0.3f];
        Assert.Equal(shortInput, SpectralSubtraction.Denoise(shortInput, Rate));
    }

    [Fact]
    public void Options_out_of_range_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SpectralSubtraction.Denoise(new float[Rate], Rate, new SpectralSubtractionOptions { NoisePercentile = 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => SpectralSubtraction.Denoise(new float[Rate], Rate, new SpectralSubtractionOptions { FloorDb = 3 }));
    }
}
