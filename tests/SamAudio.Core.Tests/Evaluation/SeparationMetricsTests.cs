using SamAudio.Core.Evaluation;

namespace SamAudio.Core.Tests.Evaluation;

public sealed class SeparationMetricsTests
{
    private static readonly float[] Tone = Enumerable.Range(0, 16_000).Select(i => (float)Math.Sin(2 * Math.PI * 440 * i / 16_000)).ToArray();

    [Fact]
    public void SiSdr_ignores_the_estimate_s_scale()
    {
        var louder = Tone.Select(x => 3 * x).ToArray();

        Assert.True(SeparationMetrics.SiSdr(louder, Tone) > 100);
    }

    [Fact]
    public void SiSdr_of_a_reference_plus_orthogonal_interference_is_their_energy_ratio()
    {
        // A 440 Hz reference plus a 1 kHz interferer at a tenth of the amplitude: 20 dB.
        var interferer = Enumerable.Range(0, 16_000).Select(i => (float)(0.1 * Math.Sin(2 * Math.PI * 1000 * i / 16_000))).ToArray();
        var estimate = Tone.Select((x, i) => x + interferer[i]).ToArray();

        Assert.Equal(20.0, SeparationMetrics.SiSdr(estimate, Tone), 1);
    }

    [Fact]
    public void Relative_energy_of_a_tenth_amplitude_is_minus_20_dB_and_silence_is_detected()
    {
        var quiet = Tone.Select(x => 0.1f * x).ToArray();

        Assert.Equal(-20.0, SeparationMetrics.RelativeEnergyDb(quiet, Tone), 3);
        Assert.True(SeparationMetrics.IsSilent(new float[1000]));
        Assert.False(SeparationMetrics.IsSilent(quiet));
    }
}
