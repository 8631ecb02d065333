using System.Numerics.Tensors;
using NWaves.Transforms;

namespace SamAudio.Inference.Dsp;

/// <summary>
/// Short-time Fourier transform with <c>torch.stft</c> semantics (periodic Hann window, <c>center=True</c> with
/// reflect padding of nFft/2, one-sided, unnormalised) and its inverse with <c>torch.istft</c> semantics (window-square
/// normalised overlap-add, trimmed to an exact length). Spectra are laid out bin-major, [F, T], as the mask graphs
/// take them. Buffers are sized per signal length and reused; not thread-safe.
/// </summary>
internal sealed class Stft
{
    private readonly RealFft _fft;
    private readonly float[] _window;
    private readonly float[] _frame;
    private readonly float[] _frameRe;
    private readonly float[] _frameIm;
    private float[] _padded = [];
    private float[] _envelope = [];
    private int _length = -1;

    public Stft(int nFft, int hop)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nFft, 16);
        ArgumentOutOfRangeException.ThrowIfLessThan(hop, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(hop, nFft);
        if ((nFft & (nFft - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(nFft), nFft, "The FFT size must be a power of two.");
        }

        NFft = nFft;
        Hop = hop;
        _fft = new RealFft(nFft);
        _window = new float[nFft];
        for (int i = 0; i < nFft; i++)
        {
            _window[i] = (float)(0.5 - (0.5 * Math.Cos(2 * Math.PI * i / nFft)));
        }

        _frame = new float[nFft];
        _frameRe = new float[nFft];
        _frameIm = new float[nFft];
    }

    public int NFft { get; }

    public int Hop { get; }

    /// <summary>Frequency bins, nFft/2 + 1.</summary>
    public int Bins => (NFft / 2) + 1;

    /// <summary>Frames for a signal of <paramref name="length"/> samples: 1 + length / hop.</summary>
    public int Frames(int length) => 1 + (length / Hop);

    /// <summary>Spectrum of <paramref name="signal"/> into <paramref name="re"/> and <paramref name="im"/>, each [F, T].</summary>
    public void Forward(ReadOnlySpan<float> signal, Span<float> re, Span<float> im)
    {
        int frames = Prepare(signal.Length);
        int bins = Bins;
        ArgumentOutOfRangeException.ThrowIfLessThan(re.Length, bins * frames, nameof(re));
        ArgumentOutOfRangeException.ThrowIfLessThan(im.Length, bins * frames, nameof(im));
        ReflectPad(signal, _padded.AsSpan(0, signal.Length + NFft), NFft / 2);
        for (int t = 0; t < frames; t++)
        {
            TensorPrimitives.Multiply(_padded.AsSpan(t * Hop, NFft), _window, _frame);
            _fft.Direct(_frame, _frameRe, _frameIm);
            for (int f = 0; f < bins; f++)
            {
                re[(f * frames) + t] = _frameRe[f];
                im[(f * frames) + t] = _frameIm[f];
            }
        }
    }

    /// <summary>Signal of exactly <paramref name="output"/>.Length samples from a [F, T] spectrum.</summary>
    public void Inverse(ReadOnlySpan<float> re, ReadOnlySpan<float> im, Span<float> output)
    {
        int frames = Prepare(output.Length);
        int bins = Bins;
        var ola = _padded.AsSpan(0, ((frames - 1) * Hop) + NFft);
        ola.Clear();
        for (int t = 0; t < frames; t++)
        {
            for (int f = 0; f < bins; f++)
            {
                _frameRe[f] = re[(f * frames) + t];
                _frameIm[f] = im[(f * frames) + t];
            }

            _fft.Inverse(_frameRe, _frameIm, _frame);
            TensorPrimitives.Multiply(_frame, _window, _frame);
            var slot = ola.Slice(t * Hop, NFft);
            TensorPrimitives.Add(slot, _frame, slot);
        }

        // _envelope already holds nFft * sum of squared windows (NWaves' inverse is unnormalised by nFft).
        TensorPrimitives.Divide(ola.Slice(NFft / 2, output.Length), _envelope.AsSpan(NFft / 2, output.Length), output);
    }

    private int Prepare(int length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        int frames = Frames(length);
        if (length == _length)
        {
            return frames;
        }

        int span = Math.Max(length + NFft, ((frames - 1) * Hop) + NFft);
        _padded = new float[span];
        _envelope = new float[span];
        for (int t = 0; t < frames; t++)
        {
            for (int k = 0; k < NFft; k++)
            {
                _envelope[(t * Hop) + k] += _window[k] * _window[k] * NFft;
            }
        }

        _length = length;
        return frames;
    }

    /// <summary>numpy/torch "reflect" padding (edge sample not repeated), folding again for very short signals.</summary>
    private static void ReflectPad(ReadOnlySpan<float> signal, Span<float> padded, int pad)
    {
        int n = signal.Length;
        signal.CopyTo(padded.Slice(pad, n));
        int period = 2 * (n - 1);
        for (int i = 0; i < padded.Length; i++)
        {
            int j = i - pad;
            if (j >= 0 && j < n)
            {
                i = pad + n - 1;
                continue;
            }

            if (period == 0)
            {
                padded[i] = signal[0];
                continue;
            }

            j = ((j % period) + period) % period;
            padded[i] = signal[j < n ? j : period - j];
        }
    }
}
