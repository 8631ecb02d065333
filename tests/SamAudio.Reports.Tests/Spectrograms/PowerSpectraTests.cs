using NWaves.Transforms;
using SamAudio.Reports.Spectrograms;

namespace SamAudio.Reports.Tests.Spectrograms;

public sealed class PowerSpectraTests
{
    [Theory]
    [InlineData(8)]
    [InlineData(64)]
    [InlineData(512)]
    [InlineData(1024)]
    public void Every_lane_matches_NWaves_real_FFT_to_float_rounding(int size)
    {
        int lanes = PowerSpectra.Lanes;
        var random = new Random(size);
        var frames = new float[lanes * size];
        for (int i = 0; i < frames.Length; i++) frames[i] = (float)((random.NextDouble() * 2) - 1);
        // One lane holds a pure tone on a bin, whose power is known exactly: (A·n/2)² in its bin.
        for (int i = 0; i < size; i++) frames[i] = (float)(0.5 * Math.Cos(2 * Math.PI * 3 * i / size));
        var spectra = new PowerSpectra(size);
        var power = new float[spectra.Bins * lanes];

        spectra.Compute(frames, power);

        var reference = new RealFft(size);
        var re = new float[size];
        var im = new float[size];
        for (int f = 0; f < lanes; f++)
        {
            reference.Direct(frames.AsSpan(f * size, size).ToArray(), re, im);
            double peak = 0;
            for (int k = 0; k < spectra.Bins; k++) peak = Math.Max(peak, (re[k] * re[k]) + (im[k] * im[k]));
            for (int k = 0; k < spectra.Bins; k++)
            {
                double expected = (re[k] * re[k]) + (im[k] * im[k]);
                Assert.True(Math.Abs(power[(k * lanes) + f] - expected) <= 1e-5 * peak, $"frame {f}, bin {k}: {power[(k * lanes) + f]} against {expected}");
            }
        }

        double tone = 0.5 * size / 2;
        Assert.Equal(tone * tone, power[3 * lanes], tone * tone * 1e-5);
        Assert.True(power[4 * lanes] < tone * tone * 1e-9, $"bin 4 of the tone holds {power[4 * lanes]}");
    }

    [Fact]
    public void A_frame_gives_the_same_bits_in_every_lane_and_beside_any_other_frames()
    {
        const int Size = 256;
        int lanes = PowerSpectra.Lanes;
        var random = new Random(7);
        var frame = new float[Size];
        for (int i = 0; i < Size; i++) frame[i] = (float)((random.NextDouble() * 2) - 1);
        var spectra = new PowerSpectra(Size);
        float[]? first = null;
        for (int lane = 0; lane < lanes; lane++)
        {
            var frames = new float[lanes * Size];
            for (int i = 0; i < frames.Length; i++) frames[i] = (float)random.NextDouble();
            frame.CopyTo(frames, lane * Size);
            var power = new float[spectra.Bins * lanes];
            spectra.Compute(frames, power);
            var mine = Enumerable.Range(0, spectra.Bins).Select(k => power[(k * lanes) + lane]).ToArray();
            first ??= mine;
            Assert.Equal(first, mine);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    [InlineData(100)]
    public void A_size_that_is_not_a_power_of_two_of_at_least_8_is_refused(int size) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new PowerSpectra(size));
}
