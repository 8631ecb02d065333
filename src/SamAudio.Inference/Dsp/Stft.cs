using System.Numerics.Tensors;
using SamAudio.Core.Dsp;

namespace SamAudio.Inference.Dsp;

/// <summary>
/// Short-time Fourier transform with <c>torch.stft</c> semantics (periodic Hann window, <c>center=True</c> with
/// reflect padding of nFft/2, one-sided, unnormalised) and its inverse with <c>torch.istft</c> semantics (window-square
/// normalised overlap-add, trimmed to an exact length). Spectra are laid out bin-major, [F, T], as the mask graphs
/// take them. Buffers are sized per signal length and reused; not thread-safe.
/// </summary>
/// <remarks>
/// FFT: <see cref="BatchedRealFft"/>, <see cref="BatchedRealFft.Lanes"/> frames per call, which lands them straight in
/// the [F, T] layout (a bin of consecutive frames is contiguous in both). It replaced NWaves' <c>RealFft</c>, one frame
/// per call, which was the largest cost around the model (docs/benchmarks.md, throughput table).
/// </remarks>
internal sealed class Stft
{
    private readonly BatchedRealFft _fft;
    private readonly float[] _window;
    private readonly float[] _frames; // one batch of frames, frame-major
    private readonly float[] _batchRe; // one batch of spectra, bin-major
    private readonly float[] _batchIm;
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
        _fft = new BatchedRealFft(nFft);
        _window = new float[nFft];
        for (int i = 0; i < nFft; i++)
        {
            _window[i] = (float)(0.5 - (0.5 * Math.Cos(2 * Math.PI * i / nFft)));
        }

        int lanes = BatchedRealFft.Lanes;
        _frames = new float[nFft * lanes];
        _batchRe = new float[Bins * lanes];
        _batchIm = new float[Bins * lanes];
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
        int lanes = BatchedRealFft.Lanes;
        for (int t0 = 0; t0 < frames; t0 += lanes)
        {
            int count = Math.Min(lanes, frames - t0);
            for (int j = 0; j < count; j++)
            {
                TensorPrimitives.Multiply(_padded.AsSpan((t0 + j) * Hop, NFft), _window, _frames.AsSpan(j * NFft, NFft));
            }

            _frames.AsSpan(count * NFft).Clear(); // lanes past the last frame compute silence, never copied out
            _fft.Forward(_frames, _batchRe, _batchIm);
            for (int f = 0; f < bins; f++)
            {
                _batchRe.AsSpan(f * lanes, count).CopyTo(re.Slice((f * frames) + t0, count));
                _batchIm.AsSpan(f * lanes, count).CopyTo(im.Slice((f * frames) + t0, count));
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
        int lanes = BatchedRealFft.Lanes;
        for (int t0 = 0; t0 < frames; t0 += lanes)
        {
            int count = Math.Min(lanes, frames - t0);
            for (int f = 0; f < bins; f++)
            {
                re.Slice((f * frames) + t0, count).CopyTo(_batchRe.AsSpan(f * lanes, count));
                im.Slice((f * frames) + t0, count).CopyTo(_batchIm.AsSpan(f * lanes, count));
                _batchRe.AsSpan((f * lanes) + count, lanes - count).Clear();
                _batchIm.AsSpan((f * lanes) + count, lanes - count).Clear();
            }

            _fft.Inverse(_batchRe, _batchIm, _frames);
            for (int j = 0; j < count; j++)
            {
                var frame = _frames.AsSpan(j * NFft, NFft);
                TensorPrimitives.Multiply(frame, _window, frame);
                var slot = ola.Slice((t0 + j) * Hop, NFft);
                TensorPrimitives.Add(slot, frame, slot);
            }
        }

        // _envelope already holds nFft * sum of squared windows (the inverse FFT is unnormalised by nFft).
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
