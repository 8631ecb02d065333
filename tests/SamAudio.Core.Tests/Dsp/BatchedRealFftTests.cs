using SamAudio.Core.Dsp;

namespace SamAudio.Core.Tests.Dsp;

public sealed class BatchedRealFftTests
{
    [Theory]
    [InlineData(8)]
    [InlineData(64)]
    [InlineData(512)]
    [InlineData(1024)]
    public void Every_lane_matches_a_double_precision_DFT(int size)
    {
        int lanes = BatchedRealFft.Lanes;
        var frames = RandomFrames(size, lanes, seed: size);
        var fft = new BatchedRealFft(size);
        var re = new float[fft.Bins * lanes];
        var im = new float[fft.Bins * lanes];
        var power = new float[fft.Bins * lanes];

        fft.Forward(frames, re, im);
        fft.Power(frames, power);

        for (int f = 0; f < lanes; f++)
        {
            var (dftRe, dftIm) = Dft(frames.AsSpan(f * size, size));
            double peak = dftRe.Zip(dftIm, (a, b) => Math.Sqrt((a * a) + (b * b))).Max();
            for (int k = 0; k < fft.Bins; k++)
            {
                Assert.True(Math.Abs(re[(k * lanes) + f] - dftRe[k]) <= 1e-5 * peak, $"frame {f}, bin {k}: re {re[(k * lanes) + f]} against {dftRe[k]}");
                Assert.True(Math.Abs(im[(k * lanes) + f] - dftIm[k]) <= 1e-5 * peak, $"frame {f}, bin {k}: im {im[(k * lanes) + f]} against {dftIm[k]}");
                float x = re[(k * lanes) + f], y = im[(k * lanes) + f];
                Assert.Equal((x * x) + (y * y), power[(k * lanes) + f]);
            }

            // A real frame's spectrum is real at DC and at Nyquist, exactly.
            Assert.Equal(0f, im[f]);
            Assert.Equal(0f, im[(fft.Bins - 1) * lanes + f]);
        }
    }

    [Theory]
    [InlineData(16)]
    [InlineData(512)]
    public void Inverse_of_forward_is_n_times_the_frames(int size)
    {
        int lanes = BatchedRealFft.Lanes;
        var frames = RandomFrames(size, lanes, seed: 3);
        var fft = new BatchedRealFft(size);
        var re = new float[fft.Bins * lanes];
        var im = new float[fft.Bins * lanes];
        var back = new float[size * lanes];

        fft.Forward(frames, re, im);
        fft.Inverse(re, im, back);

        for (int i = 0; i < frames.Length; i++)
        {
            Assert.True(Math.Abs((back[i] / size) - frames[i]) <= 1e-5, $"sample {i}: {back[i] / size} against {frames[i]}");
        }
    }

    [Fact]
    public void Inverse_ignores_the_imaginary_parts_of_DC_and_Nyquist_as_irfft_does()
    {
        const int Size = 32;
        int lanes = BatchedRealFft.Lanes;
        var fft = new BatchedRealFft(Size);
        var frames = RandomFrames(Size, lanes, seed: 5);
        var re = new float[fft.Bins * lanes];
        var im = new float[fft.Bins * lanes];
        fft.Forward(frames, re, im);
        var clean = new float[Size * lanes];
        fft.Inverse(re, im, clean);

        for (int f = 0; f < lanes; f++)
        {
            im[f] = 3;
            im[((fft.Bins - 1) * lanes) + f] = -7;
        }

        var dirty = new float[Size * lanes];
        fft.Inverse(re, im, dirty);
        Assert.Equal(clean, dirty);
    }

    [Fact]
    public void A_frame_gives_the_same_bits_in_every_lane_and_beside_any_other_frames()
    {
        const int Size = 256;
        int lanes = BatchedRealFft.Lanes;
        var frame = RandomFrames(Size, 1, seed: 7);
        var fft = new BatchedRealFft(Size);
        float[]? first = null;
        for (int lane = 0; lane < lanes; lane++)
        {
            var frames = RandomFrames(Size, lanes, seed: 100 + lane);
            frame.CopyTo(frames, lane * Size);
            var re = new float[fft.Bins * lanes];
            var im = new float[fft.Bins * lanes];
            fft.Forward(frames, re, im);
            var back = new float[Size * lanes];
            fft.Inverse(re, im, back);
            var mine = Enumerable.Range(0, fft.Bins).SelectMany(k => new[] { re[(k * lanes) + lane], im[(k * lanes) + lane] })
                .Concat(back.AsSpan(lane * Size, Size).ToArray()).ToArray();
            first ??= mine;
            Assert.Equal(first, mine);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    [InlineData(100)]
    public void A_size_that_is_not_a_power_of_two_of_at_least_8_is_refused(int size) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchedRealFft(size));

    [Fact]
    public void Buffers_too_small_for_a_batch_are_refused()
    {
        var fft = new BatchedRealFft(16);
        var spectrum = new float[fft.Bins * BatchedRealFft.Lanes];
        Assert.Throws<ArgumentException>(() => fft.Forward(new float[15 * BatchedRealFft.Lanes], spectrum, spectrum.ToArray()));
        Assert.Throws<ArgumentException>(() => fft.Power(new float[16 * BatchedRealFft.Lanes], new float[spectrum.Length - 1]));
        Assert.Throws<ArgumentException>(() => fft.Inverse(spectrum, spectrum, new float[16]));
    }

    private static float[] RandomFrames(int size, int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, size * count).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
    }

    private static (double[] Re, double[] Im) Dft(ReadOnlySpan<float> x)
    {
        int n = x.Length;
        var re = new double[(n / 2) + 1];
        var im = new double[(n / 2) + 1];
        for (int k = 0; k <= n / 2; k++)
        {
            for (int t = 0; t < n; t++)
            {
                double angle = -2 * Math.PI * k * t / n;
                re[k] += x[t] * Math.Cos(angle);
                im[k] += x[t] * Math.Sin(angle);
            }
        }

        return (re, im);
    }
}
