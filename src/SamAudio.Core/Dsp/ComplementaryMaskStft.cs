using System.Numerics.Tensors;
using NWaves.Transforms;

namespace SamAudio.Core.Dsp;

/// <summary>
/// Faithful split of a mixture, streaming: in each STFT frame the mask M = |T| / (|T| + |R|) from a generated
/// target T and residual R is applied to the mixture X, and the faithful target is the inverse STFT of M·X. The caller
/// takes the faithful residual as the mixture minus that target, so the two sum to the mixture to float rounding.
/// <para>
/// The transform follows the project's STFT conventions (<c>SamAudio.Inference.Dsp.Stft</c>: periodic Hann, unnormalised
/// NWaves real FFT, window-square overlap-add) with the window also used for synthesis and a hop of a quarter of the
/// size, where the squared windows of the four frames over any sample add up to exactly 1.5: the overlap-add
/// reconstructs a spectrum that is not masked to float rounding. Bins above <c>maskedUpToHz</c> (the model's Nyquist)
/// get M = 0: the model heard nothing there, so all of it stays in the residual (decision 0004); so does a bin where
/// both generated spectra are zero.
/// </para>
/// <para>
/// Frames start at multiples of <see cref="Hop"/> of the stream <see cref="Push"/> is given, so the caller puts the grid
/// on absolute frames by starting the stream on a multiple of the hop (zeros before the first real sample). Each push
/// takes <see cref="Hop"/> new samples of the three streams and gives back the <see cref="Hop"/> finished samples that
/// are <see cref="Latency"/> older, with the mixture samples they align with. Buffers are sized once; nothing is
/// allocated per push. Not thread-safe.
/// </para>
/// </summary>
internal sealed class ComplementaryMaskStft
{
    private const int QuarterOverlap = 4;
    private const float WindowSquareSum = 1.5f; // sum over four hops of the squared periodic Hann window, exactly

    private readonly RealFft _fft;
    private readonly float[] _window;
    private readonly float[] _mixture;
    private readonly float[] _target;
    private readonly float[] _residual;
    private readonly float[] _frame;
    private readonly float[] _xRe, _xIm, _tRe, _tIm, _rRe, _rIm;
    private readonly float[] _overlap;
    private readonly int _maskedBins;
    private readonly float _scale;

    /// <param name="sampleRate">Rate of the three streams.</param>
    /// <param name="maskedUpToHz">Highest frequency the generated target and residual describe (the model's Nyquist).</param>
    public ComplementaryMaskStft(int sampleRate, double maskedUpToHz)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maskedUpToHz);
        Size = SizeFor(sampleRate);
        Hop = Size / QuarterOverlap;
        _fft = new RealFft(Size);
        _window = new float[Size];
        for (int i = 0; i < Size; i++)
        {
            _window[i] = (float)(0.5 - (0.5 * Math.Cos(2 * Math.PI * i / Size)));
        }

        _mixture = new float[Size];
        _target = new float[Size];
        _residual = new float[Size];
        _frame = new float[Size];
        _xRe = new float[Size];
        _xIm = new float[Size];
        _tRe = new float[Size];
        _tIm = new float[Size];
        _rRe = new float[Size];
        _rIm = new float[Size];
        _overlap = new float[Size];
        int bins = (Size / 2) + 1;
        _maskedBins = (int)Math.Min(bins, Math.Floor(maskedUpToHz * Size / sampleRate) + 1);
        _scale = 1f / (WindowSquareSum * Size); // NWaves' inverse is unnormalised by the size
    }

    /// <summary>Frame length: the power of two nearest above 40 ms (1024 at 16-22.05 kHz, 2048 at 44.1-48 kHz, 4096 at 96 kHz).</summary>
    public int Size { get; }

    /// <summary>Frame step, a quarter of <see cref="Size"/>; also the samples of each <see cref="Push"/>.</summary>
    public int Hop { get; }

    /// <summary>Samples between a sample's push and its output: <see cref="Size"/> - <see cref="Hop"/>.</summary>
    public int Latency => Size - Hop;

    /// <summary>Bins that are masked; bins from here up go to the residual whole.</summary>
    public int MaskedBins => _maskedBins;

    /// <summary>Frame length for a rate: the power of two at or above 40 ms, at least 256.</summary>
    public static int SizeFor(int sampleRate)
    {
        int size = 256;
        while (size < sampleRate * 0.04)
        {
            size *= 2;
        }

        return size;
    }

    /// <summary>
    /// Takes <see cref="Hop"/> samples of each stream and writes the faithful target of the <see cref="Hop"/> samples
    /// <see cref="Latency"/> before them to <paramref name="targetOut"/>, and those samples of the mixture to
    /// <paramref name="mixtureOut"/>.
    /// </summary>
    public void Push(ReadOnlySpan<float> mixture, ReadOnlySpan<float> target, ReadOnlySpan<float> residual, Span<float> targetOut, Span<float> mixtureOut)
    {
        int hop = Hop, keep = Size - hop;
        Slide(_mixture, mixture[..hop], keep);
        Slide(_target, target[..hop], keep);
        Slide(_residual, residual[..hop], keep);

        Analyse(_mixture, _xRe, _xIm);
        Analyse(_target, _tRe, _tIm);
        Analyse(_residual, _rRe, _rIm);
        int bins = (Size / 2) + 1;
        for (int f = 0; f < bins; f++)
        {
            float mask = f < _maskedBins ? Mask(_tRe[f], _tIm[f], _rRe[f], _rIm[f]) : 0f;
            _xRe[f] *= mask;
            _xIm[f] *= mask;
        }

        _fft.Inverse(_xRe, _xIm, _frame);
        TensorPrimitives.Multiply(_frame, _window, _frame);
        TensorPrimitives.Add(_overlap, _frame, _overlap);

        // The oldest hop has every frame over it now (the frames before the stream's start saw only zeros).
        TensorPrimitives.Multiply(_overlap.AsSpan(0, hop), _scale, targetOut[..hop]);
        _mixture.AsSpan(0, hop).CopyTo(mixtureOut);
        _overlap.AsSpan(hop, keep).CopyTo(_overlap);
        _overlap.AsSpan(keep).Clear();
    }

    /// <summary>
    /// Magnitude-ratio mask in [0, 1]: the float sum of two non-negative magnitudes is at least either, so the quotient
    /// never exceeds 1 and M·X never exceeds X in magnitude. A mask-family pair (T = m·X, R = (1 - m)·X) gives back m.
    /// </summary>
    internal static float Mask(float tRe, float tIm, float rRe, float rIm)
    {
        float t = MathF.Sqrt((tRe * tRe) + (tIm * tIm));
        float total = t + MathF.Sqrt((rRe * rRe) + (rIm * rIm));
        return total > 0 && float.IsFinite(total) ? t / total : 0f;
    }

    /// <summary>Windowed spectrum of one frame into <paramref name="re"/> and <paramref name="im"/> (bins 0..Size/2).</summary>
    internal void Analyse(ReadOnlySpan<float> frame, float[] re, float[] im)
    {
        TensorPrimitives.Multiply(frame, _window, _frame);
        _fft.Direct(_frame, re, im);
    }

    private static void Slide(float[] buffer, ReadOnlySpan<float> incoming, int keep)
    {
        buffer.AsSpan(incoming.Length, keep).CopyTo(buffer);
        incoming.CopyTo(buffer.AsSpan(keep));
    }
}
