namespace SamAudio.Inference.Dsp;

/// <summary>
/// Parameters of <see cref="SpectralSubtraction"/>. Defaults: the model's STFT (512 / 128 at 16 kHz), 30 s blocks
/// with 1 s of context either side, noise = the 20th percentile of each bin's power within the block scaled to a
/// mean (x 1/ln(1/0.8) = 4.48, exact for Gaussian noise, whose bin power is exponential), over-subtraction 2 and a
/// gain floor of -20 dB.
/// </summary>
public sealed record SpectralSubtractionOptions
{
    public int NFft { get; init; } = 512;
    public int Hop { get; init; } = 128;

    /// <summary>Seconds per noise estimate: the profile follows a bed that changes over minutes.</summary>
    public double BlockSeconds { get; init; } = 30;

    /// <summary>Seconds read on each side of a block and dropped after the inverse STFT.</summary>
    public double ContextSeconds { get; init; } = 1;

    /// <summary>The quiet percentile (0..1) of a bin's frame powers taken as its noise floor.</summary>
    public double NoisePercentile { get; init; } = 0.2;

    /// <summary>Multiplies the noise estimate before subtraction.</summary>
    public double OverSubtraction { get; init; } = 2;

    /// <summary>Lowest gain, in dB (the spectral floor).</summary>
    public double FloorDb { get; init; } = -20;

    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(BlockSeconds, 0, nameof(BlockSeconds));
        ArgumentOutOfRangeException.ThrowIfNegative(ContextSeconds, nameof(ContextSeconds));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(NoisePercentile, 0, nameof(NoisePercentile));
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(NoisePercentile, 1, nameof(NoisePercentile));
        ArgumentOutOfRangeException.ThrowIfNegative(OverSubtraction, nameof(OverSubtraction));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(FloorDb, 0, nameof(FloorDb));
    }
}

/// <summary>
/// A class-agnostic spectral-subtraction denoiser, the baseline of soundscape evaluations: per block, each STFT bin's
/// noise power is estimated from its quiet percentile over the block, and every frame keeps
/// gain = sqrt(max(1 - a * noise / power, floor^2)) of its magnitude, phase unchanged (Boll 1979; Berouti et al.
/// 1979 for the over-subtraction a and the floor). It keeps whatever stands out of the bed, whatever it is.
/// </summary>
public static class SpectralSubtraction
{
    public static float[] Denoise(ReadOnlySpan<float> signal, int sampleRate, SpectralSubtractionOptions? options = null)
    {
        options ??= new SpectralSubtractionOptions();
        options.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1);
        var output = new float[signal.Length];
        if (signal.Length < options.NFft)
        {
            signal.CopyTo(output);
            return output;
        }

        var stft = new Stft(options.NFft, options.Hop);
        int block = Math.Max(options.NFft, (int)Math.Round(options.BlockSeconds * sampleRate));
        int context = (int)Math.Round(options.ContextSeconds * sampleRate);
        double toMean = 1 / -Math.Log(1 - options.NoisePercentile);
        double floor = Math.Pow(10, options.FloorDb / 10); // a power ratio
        for (int start = 0; start < signal.Length; start += block)
        {
            int end = Math.Min(signal.Length, start + block);
            int from = Math.Max(0, start - context), to = Math.Min(signal.Length, end + context);
            if (to - from < options.NFft)
            {
                from = Math.Max(0, to - options.NFft);
            }

            var piece = signal[from..to];
            int frames = stft.Frames(piece.Length), bins = stft.Bins;
            var re = new float[bins * frames];
            var im = new float[bins * frames];
            var power = new float[frames];
            stft.Forward(piece, re, im);
            for (int f = 0; f < bins; f++)
            {
                var r = re.AsSpan(f * frames, frames);
                var i = im.AsSpan(f * frames, frames);
                for (int t = 0; t < frames; t++)
                {
                    power[t] = (r[t] * r[t]) + (i[t] * i[t]);
                }

                double noise = options.OverSubtraction * toMean * Percentile(power, options.NoisePercentile);
                for (int t = 0; t < frames; t++)
                {
                    double p = (r[t] * r[t]) + (i[t] * i[t]);
                    float gain = (float)Math.Sqrt(Math.Max(p > 0 ? 1 - (noise / p) : 0, floor));
                    r[t] *= gain;
                    i[t] *= gain;
                }
            }

            var clean = new float[piece.Length];
            stft.Inverse(re, im, clean);
            clean.AsSpan(start - from, end - start).CopyTo(output.AsSpan(start));
        }

        return output;
    }

    /// <summary>The <paramref name="q"/> quantile of <paramref name="values"/> (sorts them in place; nearest rank).</summary>
    private static double Percentile(float[] values, double q)
    {
        Array.Sort(values);
        return values[(int)Math.Clamp(Math.Floor(q * (values.Length - 1)), 0, values.Length - 1)];
    }
}
