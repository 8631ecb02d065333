namespace SamAudio.Inference.Tests.Support;

internal static class Signals
{
    public static float[] Tones(int length, int sampleRate, params (double Hz, double Amplitude)[] tones)
    {
        float[] x = new float[length];
        for (int i = 0; i < length; i++)
        {
            double v = 0;
            foreach (var (hz, amplitude) in tones)
            {
                v += amplitude * Math.Sin(2 * Math.PI * hz * i / sampleRate);
            }

            x[i] = (float)v;
        }

        return x;
    }

    public static float[] Noise(int length, int seed)
    {
        var random = new Random(seed);
        float[] x = new float[length];
        for (int i = 0; i < length; i++)
        {
            x[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return x;
    }

    /// <summary>Amplitude of the <paramref name="hz"/> component (single-bin DFT over the middle of the signal).</summary>
    public static double AmplitudeAt(ReadOnlySpan<float> x, double hz, int sampleRate)
    {
        int start = x.Length / 4, count = x.Length / 2;
        double re = 0, im = 0;
        for (int i = 0; i < count; i++)
        {
            double phase = 2 * Math.PI * hz * (start + i) / sampleRate;
            re += x[start + i] * Math.Cos(phase);
            im -= x[start + i] * Math.Sin(phase);
        }

        return 2 * Math.Sqrt((re * re) + (im * im)) / count;
    }

    public static double PeakDifference(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double peak = 0;
        for (int i = 0; i < a.Length; i++)
        {
            peak = Math.Max(peak, Math.Abs(a[i] - b[i]));
        }

        return peak;
    }
}
