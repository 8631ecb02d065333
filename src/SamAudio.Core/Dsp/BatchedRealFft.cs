using System.Numerics;
using System.Runtime.InteropServices;

namespace SamAudio.Core.Dsp;

/// <summary>
/// Real FFTs of n samples (forward, inverse and power spectrum) for <see cref="Lanes"/> frames at once: one radix-2
/// FFT of n/2 complex points (even samples as real part, odd as imaginary) and the usual split into the real signal's
/// bins, with each SIMD lane carrying a different frame. Every lane does exactly the arithmetic a scalar FFT would do,
/// so a frame's result is the same bits whichever lane or batch it lands in, and on any vector width.
/// </summary>
/// <remarks>
/// Hand-written rather than NWaves' <c>RealFft</c>, one frame per call, for speed: the mask models' STFT and the
/// report's spectrograms of long recordings spent most of their time in it (docs/decisions/0007-batched-fft.md). Measured on the 2-core development VM
/// (AVX2, 8 lanes) for 310,000 frames of 512 samples (a 2-hour recording at 22.05 kHz): NWaves 1.28 s, this class
/// 0.22 s for the power spectrum; <c>SpectrumBenchmarks</c> in tests/SamAudio.Benchmarks compares them. Results agree
/// with a double-precision DFT to float rounding (<c>BatchedRealFftTests</c>).
/// <para>
/// Layouts: frames are frame-major (<c>frames[f * n + i]</c>); spectra are bin-major (<c>re[k * Lanes + f]</c>), which
/// is also how a [bins, time] spectrogram stores <see cref="Lanes"/> consecutive frames. Not thread-safe (one scratch
/// set per instance).
/// </para>
/// </remarks>
public sealed class BatchedRealFft
{
    private readonly int _size, _half;
    private readonly int[] _bitReversed;
    private readonly float[] _twiddleRe, _twiddleIm, _splitRe, _splitIm;
    private readonly Vector<float>[] _re, _im;

    /// <param name="size">Samples per frame: a power of two, at least 8.</param>
    public BatchedRealFft(int size)
    {
        if (size < 8 || !BitOperations.IsPow2(size)) throw new ArgumentOutOfRangeException(nameof(size), size, "The frame size must be a power of two of at least 8.");
        _size = size;
        _half = size / 2;
        int bits = BitOperations.Log2((uint)_half);
        _bitReversed = new int[_half];
        for (int i = 0; i < _half; i++)
        {
            int reversed = 0;
            for (int b = 0; b < bits; b++) reversed |= ((i >> b) & 1) << (bits - 1 - b);
            _bitReversed[i] = reversed;
        }

        _twiddleRe = new float[_half / 2];
        _twiddleIm = new float[_half / 2];
        for (int k = 0; k < _half / 2; k++)
        {
            _twiddleRe[k] = (float)Math.Cos(-2 * Math.PI * k / _half);
            _twiddleIm[k] = (float)Math.Sin(-2 * Math.PI * k / _half);
        }

        _splitRe = new float[_half + 1];
        _splitIm = new float[_half + 1];
        for (int k = 0; k <= _half; k++)
        {
            _splitRe[k] = (float)Math.Cos(-2 * Math.PI * k / size);
            _splitIm[k] = (float)Math.Sin(-2 * Math.PI * k / size);
        }

        // Exact at DC and Nyquist, where the real signal's spectrum is real.
        (_splitRe[0], _splitIm[0], _splitRe[_half], _splitIm[_half]) = (1, 0, -1, 0);
        _re = new Vector<float>[_half];
        _im = new Vector<float>[_half];
    }

    /// <summary>Frames per call: the width of <see cref="Vector{T}"/> of float on this machine.</summary>
    public static int Lanes => Vector<float>.Count;

    /// <summary>Samples per frame.</summary>
    public int Size => _size;

    /// <summary>Bins per spectrum: n/2 + 1.</summary>
    public int Bins => _half + 1;

    /// <summary>Spectra X[k], k = 0..n/2, of <see cref="Lanes"/> real frames (unnormalised, e^(-2πikt/n)).</summary>
    public void Forward(ReadOnlySpan<float> frames, Span<float> re, Span<float> im)
    {
        CheckFrames(frames);
        CheckSpectrum(re, nameof(re));
        CheckSpectrum(im, nameof(im));
        Transform(frames);
        var outRe = MemoryMarshal.Cast<float, Vector<float>>(re);
        var outIm = MemoryMarshal.Cast<float, Vector<float>>(im);
        for (int k = 0; k <= _half; k++)
        {
            var (xr, xi) = Split(k);
            outRe[k] = xr;
            outIm[k] = xi;
        }
    }

    /// <summary>Power spectra |X[k]|², k = 0..n/2, of <see cref="Lanes"/> real frames.</summary>
    public void Power(ReadOnlySpan<float> frames, Span<float> power)
    {
        CheckFrames(frames);
        CheckSpectrum(power, nameof(power));
        Transform(frames);
        var output = MemoryMarshal.Cast<float, Vector<float>>(power);
        for (int k = 0; k <= _half; k++)
        {
            var (xr, xi) = Split(k);
            output[k] = (xr * xr) + (xi * xi);
        }
    }

    /// <summary>
    /// Real frames from <see cref="Lanes"/> one-sided spectra, unnormalised like NWaves' inverse: n times the
    /// inverse DFT, so <c>Inverse(Forward(x)) = n·x</c>. The imaginary parts of the DC and Nyquist bins are ignored
    /// (as <c>torch.fft.irfft</c> does).
    /// </summary>
    public void Inverse(ReadOnlySpan<float> re, ReadOnlySpan<float> im, Span<float> frames)
    {
        CheckSpectrum(re, nameof(re));
        CheckSpectrum(im, nameof(im));
        if (frames.Length < _size * Lanes) throw new ArgumentException($"Expected room for {Lanes} frames of {_size} samples.", nameof(frames));
        int half = _half, lanes = Lanes;
        var inRe = MemoryMarshal.Cast<float, Vector<float>>(re);
        var inIm = MemoryMarshal.Cast<float, Vector<float>>(im);
        var reLanes = MemoryMarshal.Cast<Vector<float>, float>(_re.AsSpan());
        var imLanes = MemoryMarshal.Cast<Vector<float>, float>(_im.AsSpan());

        // Z[k] = (X[k] + conj X[m-k]) + i·e^(2πik/n)·(X[k] - conj X[m-k]), placed bit-reversed for the butterflies.
        for (int k = 0; k < half; k++)
        {
            var ar = inRe[k];
            var ai = k == 0 ? Vector<float>.Zero : inIm[k];
            var br = inRe[half - k];
            var bi = k == 0 ? Vector<float>.Zero : -inIm[half - k];
            var sr = ar + br;
            var si = ai + bi;
            var dr = ar - br;
            var di = ai - bi;
            // e^(2πik/n) = conj of the forward split twiddle.
            var wr = new Vector<float>(_splitRe[k]);
            var wi = new Vector<float>(-_splitIm[k]);
            var tr = (wr * dr) - (wi * di);
            var ti = (wr * di) + (wi * dr);
            // + i·(tr + i·ti) = -ti + i·tr
            _re[_bitReversed[k]] = sr - ti;
            _im[_bitReversed[k]] = si + tr;
        }

        Butterflies(inverse: true);
        for (int f = 0; f < lanes; f++)
        {
            var frame = frames.Slice(f * _size, _size);
            for (int i = 0; i < half; i++)
            {
                frame[2 * i] = reLanes[(i * lanes) + f];
                frame[(2 * i) + 1] = imLanes[(i * lanes) + f];
            }
        }
    }

    private void CheckFrames(ReadOnlySpan<float> frames)
    {
        if (frames.Length < _size * Lanes) throw new ArgumentException($"Expected {Lanes} frames of {_size} samples.", nameof(frames));
    }

    private void CheckSpectrum(ReadOnlySpan<float> spectrum, string name)
    {
        if (spectrum.Length < Bins * Lanes) throw new ArgumentException($"Expected room for {Bins} bins of {Lanes} frames.", name);
    }

    /// <summary>The n/2-point complex FFT of every lane's frame, even samples as real part, odd as imaginary.</summary>
    private void Transform(ReadOnlySpan<float> frames)
    {
        int lanes = Lanes, half = _half;
        var reLanes = MemoryMarshal.Cast<Vector<float>, float>(_re.AsSpan());
        var imLanes = MemoryMarshal.Cast<Vector<float>, float>(_im.AsSpan());
        for (int f = 0; f < lanes; f++)
        {
            var frame = frames.Slice(f * _size, _size);
            for (int i = 0; i < half; i++)
            {
                int at = (_bitReversed[i] * lanes) + f;
                reLanes[at] = frame[2 * i];
                imLanes[at] = frame[(2 * i) + 1];
            }
        }

        Butterflies(inverse: false);
    }

    /// <summary>Iterative decimation-in-time butterflies over bit-reversed input; the first stage's twiddle is 1.</summary>
    private void Butterflies(bool inverse)
    {
        var re = _re;
        var im = _im;
        int half = _half;
        for (int i = 0; i < half; i += 2)
        {
            var ar = re[i];
            var ai = im[i];
            var br = re[i + 1];
            var bi = im[i + 1];
            re[i] = ar + br;
            im[i] = ai + bi;
            re[i + 1] = ar - br;
            im[i + 1] = ai - bi;
        }

        for (int span = 4; span <= half; span <<= 1)
        {
            int step = half / span, halfSpan = span / 2;
            for (int start = 0; start < half; start += span)
            {
                for (int k = 0; k < halfSpan; k++)
                {
                    int a = start + k, b = a + halfSpan;
                    var wr = new Vector<float>(_twiddleRe[k * step]);
                    var wi = new Vector<float>(inverse ? -_twiddleIm[k * step] : _twiddleIm[k * step]);
                    var rb = re[b];
                    var ib = im[b];
                    var tr = (rb * wr) - (ib * wi);
                    var ti = (rb * wi) + (ib * wr);
                    var ar = re[a];
                    var ai = im[a];
                    re[a] = ar + tr;
                    im[a] = ai + ti;
                    re[b] = ar - tr;
                    im[b] = ai - ti;
                }
            }
        }
    }

    /// <summary>
    /// Bin k of the real frames from the half-size transform Z: X[k] = E[k] + e^(-2πik/n) O[k], with
    /// E = (Z[k] + conj Z[m-k]) / 2 and O = (Z[k] - conj Z[m-k]) / 2i.
    /// </summary>
    private (Vector<float> Re, Vector<float> Im) Split(int k)
    {
        int half = _half, k1 = k == half ? 0 : k, k2 = (half - k) & (half - 1);
        var oneHalf = new Vector<float>(0.5f);
        var zr = _re[k1];
        var zi = _im[k1];
        var cr = _re[k2];
        var ci = -_im[k2];
        var er = oneHalf * (zr + cr);
        var ei = oneHalf * (zi + ci);
        var dr = oneHalf * (zr - cr);
        var di = oneHalf * (zi - ci);
        var sr = new Vector<float>(_splitRe[k]);
        var si = new Vector<float>(_splitIm[k]);
        // O = di - i·dr, times (sr + i·si).
        return (er + ((sr * di) + (si * dr)), ei + ((si * di) - (sr * dr)));
    }
}
