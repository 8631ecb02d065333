using SamAudio.Inference.Dsp;
using SamAudio.Inference.Tests.Support;

namespace SamAudio.Inference.Tests.Dsp;

public sealed class StftTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(200)]
    [InlineData(257)]
    [InlineData(1000)]
    [InlineData(16_000 + 77)]
    public void Inverse_of_forward_reproduces_the_signal_with_its_exact_length(int length)
    {
        var stft = new Stft(512, 128);
        float[] x = Signals.Noise(length, seed: length);
        int cells = stft.Bins * stft.Frames(length);
        float[] re = new float[cells], im = new float[cells], y = new float[length];

        stft.Forward(x, re, im);
        stft.Inverse(re, im, y);

        Assert.True(Signals.PeakDifference(x, y) < 1e-5, $"peak error {Signals.PeakDifference(x, y)}");
    }

    [Fact]
    public void Forward_matches_torch_stft_definition_with_centered_reflect_padding()
    {
        const int nFft = 16, hop = 4, length = 37;
        var stft = new Stft(nFft, hop);
        float[] x = Signals.Noise(length, seed: 7);
        int frames = stft.Frames(length), bins = stft.Bins;
        float[] re = new float[bins * frames], im = new float[bins * frames];

        stft.Forward(x, re, im);

        Assert.Equal(1 + (length / hop), frames);
        for (int t = 0; t < frames; t++)
        {
            for (int f = 0; f < bins; f++)
            {
                var (expectedRe, expectedIm) = NaiveBin(x, nFft, hop, t, f);
                Assert.Equal(expectedRe, re[(f * frames) + t], 4);
                Assert.Equal(expectedIm, im[(f * frames) + t], 4);
            }
        }
    }

    [Fact]
    public void Frames_follow_one_plus_length_over_hop()
    {
        var stft = new Stft(512, 128);
        Assert.Equal(1251, stft.Frames(160_000));
        Assert.Equal(1, stft.Frames(1));
        Assert.Equal(257, stft.Bins);
    }

    /// <summary>X[f, t] = sum_k xpad[t*hop + k] w[k] exp(-2 pi i f k / n), xpad reflect-padded by n/2 (torch.stft).</summary>
    private static (double Re, double Im) NaiveBin(float[] x, int n, int hop, int t, int f)
    {
        double re = 0, im = 0;
        for (int k = 0; k < n; k++)
        {
            int j = (t * hop) + k - (n / 2);
            if (j < 0)
            {
                j = -j;
            }

            if (j >= x.Length)
            {
                j = (2 * (x.Length - 1)) - j;
            }

            double w = 0.5 - (0.5 * Math.Cos(2 * Math.PI * k / n));
            double angle = -2 * Math.PI * f * k / n;
            re += x[j] * w * Math.Cos(angle);
            im += x[j] * w * Math.Sin(angle);
        }

        return (re, im);
    }
}
