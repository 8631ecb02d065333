namespace SamAudio.Cli.Tests;

/// <summary>
/// Deterministic test signals, one channel each, as samples in [-1, 1]: the same numbers on every run and every
/// machine (a seeded <see cref="Random"/>, no clock, no external tool).
/// </summary>
internal static class TestSignals
{
    /// <summary>Frames in <paramref name="seconds"/> at <paramref name="sampleRate"/>, rounded to the nearest frame.</summary>
    public static int Frames(int sampleRate, double seconds) => (int)Math.Round(sampleRate * seconds);

    /// <summary>A sine of <paramref name="hz"/> with peak <paramref name="amplitude"/>, starting at phase 0.</summary>
    public static float[] Sine(int sampleRate, double seconds, double hz, double amplitude)
    {
        var samples = new float[Frames(sampleRate, seconds)];
        for (int i = 0; i < samples.Length; i++)
        {
            samples[i] = (float)(amplitude * Math.Sin(2 * Math.PI * hz * i / sampleRate));
        }

        return samples;
    }

    /// <summary>
    /// Pink-ish noise (power falling about 3 dB per octave) with the given RMS level: seeded white noise through
    /// Paul Kellet's three-pole "economy" pink filter, then scaled.
    /// </summary>
    public static float[] PinkNoise(int sampleRate, double seconds, double rms, int seed)
    {
        var random = new Random(seed);
        var noise = new double[Frames(sampleRate, seconds)];
        double b0 = 0, b1 = 0, b2 = 0;
        for (int i = 0; i < noise.Length; i++)
        {
            double white = (2 * random.NextDouble()) - 1;
            b0 = (0.99765 * b0) + (white * 0.0990460);
            b1 = (0.96300 * b1) + (white * 0.2965164);
            b2 = (0.57000 * b2) + (white * 1.0526913);
            noise[i] = b0 + b1 + b2 + (white * 0.1848);
        }

        double actual = noise.Length == 0 ? 1 : Math.Sqrt(noise.Sum(x => x * x) / noise.Length);
        return [.. noise.Select(x => (float)(x * rms / actual))];
    }

    /// <summary>The sample-by-sample sum of signals of equal length.</summary>
    public static float[] Sum(params float[][] signals)
    {
        var sum = new float[signals[0].Length];
        foreach (var signal in signals)
        {
            if (signal.Length != sum.Length)
            {
                throw new ArgumentException($"Signals of {signal.Length} and {sum.Length} samples cannot be summed.", nameof(signals));
            }

            for (int i = 0; i < sum.Length; i++)
            {
                sum[i] += signal[i];
            }
        }

        return sum;
    }
}
