namespace SamAudio.Core.Evaluation;

/// <summary>Separation quality measures, in dB.</summary>
public static class SeparationMetrics
{
    private const double Epsilon = 1e-12;

    /// <summary>
    /// Scale-invariant signal-to-distortion ratio of <paramref name="estimate"/> against
    /// <paramref name="reference"/> (both zero-meaned; the reference is scaled to its projection on the estimate).
    /// Compares the common length of the two signals.
    /// </summary>
    public static double SiSdr(ReadOnlySpan<float> estimate, ReadOnlySpan<float> reference)
    {
        int n = Math.Min(estimate.Length, reference.Length);
        double meanE = Mean(estimate[..n]);
        double meanR = Mean(reference[..n]);
        double dot = 0, refEnergy = 0;
        for (int i = 0; i < n; i++)
        {
            double r = reference[i] - meanR;
            dot += (estimate[i] - meanE) * r;
            refEnergy += r * r;
        }

        double alpha = dot / (refEnergy + Epsilon);
        double target = 0, noise = 0;
        for (int i = 0; i < n; i++)
        {
            double s = alpha * (reference[i] - meanR);
            double e = estimate[i] - meanE - s;
            target += s * s;
            noise += e * e;
        }

        return 10 * Math.Log10((target + Epsilon) / (noise + Epsilon));
    }

    /// <summary>Energy of <paramref name="signal"/> relative to <paramref name="mixture"/>, in dB.</summary>
    public static double RelativeEnergyDb(ReadOnlySpan<float> signal, ReadOnlySpan<float> mixture) =>
        10 * Math.Log10((Energy(signal) + Epsilon) / (Energy(mixture) + Epsilon));

    /// <summary>
    /// True when the reference holds no sound (mean power at or below -80 dBFS, so dithered digital silence
    /// counts): the item then scores the target's leftover energy.
    /// </summary>
    public static bool IsSilent(ReadOnlySpan<float> reference) => Energy(reference) <= 1e-8 * Math.Max(1, reference.Length);

    private static double Energy(ReadOnlySpan<float> x)
    {
        double sum = 0;
        foreach (float v in x)
        {
            sum += (double)v * v;
        }

        return sum;
    }

    private static double Mean(ReadOnlySpan<float> x)
    {
        double sum = 0;
        foreach (float v in x)
        {
            sum += v;
        }

        return x.Length == 0 ? 0 : sum / x.Length;
    }
}
