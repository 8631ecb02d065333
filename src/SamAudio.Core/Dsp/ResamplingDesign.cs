namespace SamAudio.Core.Dsp;

/// <summary>
/// Where a resampler's low-pass is flat and where its 100 dB stopband begins, as fractions of the lower of the two
/// Nyquist frequencies (decision 0008). The filter's length, and so its cost per output sample, grows as
/// 1 / (stopband - passband).
/// </summary>
/// <param name="PassbandFraction">Flat (within the Kaiser window's ripple) up to this fraction of the Nyquist.</param>
/// <param name="StopbandFraction">100 dB down from this fraction of the Nyquist; above 1, what lies between the Nyquist and it folds back into the band's top, attenuated.</param>
public sealed record ResamplingDesign(double PassbandFraction, double StopbandFraction)
{
    /// <summary>
    /// Outputs brought back to the recording's rate (and every other conversion): flat to 97%, 100 dB down from the
    /// Nyquist on, so nothing above it (no images). Flat only to 90% rolled the top tenth of the band off the target,
    /// which cost up to 9.6 dB on sounds with energy there (decision 0008).
    /// </summary>
    public static ResamplingDesign Output { get; } = new(0.97, 1.00);

    /// <summary>
    /// The model's input: flat to 97% of the model's Nyquist, as the models were trained on the whole band; the stopband
    /// from 103% halves the taps, and what folds back lands only in the top 3% of the band, attenuated.
    /// </summary>
    public static ResamplingDesign ModelInput { get; } = new(0.97, 1.03);

    /// <summary>Evaluation's own conversion of references and mixtures: flat to 99%, as transparent as a filter can be at any cost.</summary>
    public static ResamplingDesign Reference { get; } = new(0.99, 1.00);
}
