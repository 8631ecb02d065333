using System.Numerics.Tensors;
using SamAudio.Core.Audio;

namespace SamAudio.Core.Dsp;

/// <summary>
/// Settings of <see cref="BackgroundSuppressor"/> (decision 0010). The defaults were chosen on the soundscape
/// validation of issue 20 and measured on the reserved soundscape; the model card has the figures.
/// </summary>
public sealed record BackgroundSuppressionOptions
{
    /// <summary>The quiet percentile (0..1) of a bin's frame powers in a window, taken as the background's floor.</summary>
    public double NoisePercentile { get; init; } = 0.2;

    /// <summary>Multiplies the floor (scaled to a mean) before it is subtracted: more takes more of the background out.</summary>
    public double OverSubtraction { get; init; } = 3;

    /// <summary>Lowest gain, in dB: a bin the background fills keeps this much of the target there.</summary>
    public double FloorDb { get; init; } = -25;

    public static BackgroundSuppressionOptions Default { get; } = new();

    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(NoisePercentile, 0, nameof(NoisePercentile));
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(NoisePercentile, 1, nameof(NoisePercentile));
        ArgumentOutOfRangeException.ThrowIfNegative(OverSubtraction, nameof(OverSubtraction));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(FloorDb, 0, nameof(FloorDb));
    }
}

/// <summary>
/// Takes the steady background of a field recording (wind, rain, a stream, hum) out of the model's target, window by
/// window: each STFT bin's background power is the quiet percentile of the mixture's power in that bin over the
/// window (scaled to a mean, exact for Gaussian noise), and every target frame keeps
/// gain = sqrt(max(1 - a * background / mixture power, floor^2)) of its spectrum (spectral subtraction: Boll 1979,
/// Berouti et al. 1979). The residual becomes the window minus the new target, so the two still sum to the mixture.
/// <para>
/// The estimate is the window's own, so a window's output depends on that window only: shards and resumed runs give
/// the same bytes. Only frames inside the window's real samples count (the last window's zero padding would pull the
/// floor down). A target whose sound is itself steady over the window (rain asked for as rain) loses it too, which is
/// why this is a choice per item and not the default (decision 0010).
/// </para>
/// <para>
/// STFT: periodic Hann analysis and synthesis, a power-of-two frame of at least 30 ms (512 at 16 kHz), hop a quarter
/// of it, frames from one hop into the window's start to one hop before its end, so the squared windows over every
/// sample add up to 1.5 and an unchanged spectrum is reconstructed to float rounding. The frames go through
/// <see cref="BatchedRealFft"/> (a frame's bits do not depend on its lane) and each bin's percentile is found by
/// selection, not by sorting: with NWaves' FFT and <c>Array.Sort</c> this stage cost 1.5 times the model's own time per
/// window (a 20-minute soundscape's eval: 101 s against 39 s kept). Buffers are sized once per window length; nothing
/// is allocated per window, and the two large ones come from <see cref="SampleBufferPool"/> and go back on
/// <see cref="Dispose"/>, so a batch's next item reuses them. Not thread-safe.
/// </para>
/// </summary>
public sealed class BackgroundSuppressor : IDisposable
{
    private const int QuarterOverlap = 4;
    private const float WindowSquareSum = 1.5f;

    private readonly BackgroundSuppressionOptions _options;
    private readonly BatchedRealFft _fft;
    private readonly float[] _window;
    private readonly float[] _frames;  // Lanes frames, frame-major
    private readonly float[] _re;      // their spectra, bin-major
    private readonly float[] _im;
    private readonly float[] _gain;    // [bin * Frames + frame]: the mixture's power, then the gain
    private readonly float[] _row;     // one bin's powers over the counted frames, reordered by the selection
    private readonly float[] _output;  // overlap-add of the target, from Size before the window's start
    private readonly float _scale;

    public BackgroundSuppressor(int sampleRate, int windowSamples, BackgroundSuppressionOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(windowSamples);
        _options = options ?? BackgroundSuppressionOptions.Default;
        _options.Validate();
        Size = SizeFor(sampleRate);
        Hop = Size / QuarterOverlap;
        WindowSamples = windowSamples;
        int lanes = BatchedRealFft.Lanes;
        Frames = ((windowSamples + Hop - 1) / Hop) + QuarterOverlap - 1; // four frames over every sample
        _fft = new BatchedRealFft(Size);
        _window = new float[Size];
        for (int i = 0; i < Size; i++)
        {
            _window[i] = (float)(0.5 - (0.5 * Math.Cos(2 * Math.PI * i / Size)));
        }

        _frames = new float[Size * lanes];
        _re = new float[_fft.Bins * lanes];
        _im = new float[_fft.Bins * lanes];
        _gain = SampleBufferPool.Rent(_fft.Bins * Frames);
        _row = new float[Frames];
        _output = SampleBufferPool.Rent(windowSamples + (2 * Size) + (lanes * Hop));
        _scale = 1f / (WindowSquareSum * Size); // the inverse is unnormalised by the size
    }

    /// <summary>Frame length: the power of two at or above 30 ms, at least 256 (512 at 16 kHz).</summary>
    public int Size { get; }

    public int Hop { get; }

    public int WindowSamples { get; }

    private int Frames { get; }

    public static int SizeFor(int sampleRate)
    {
        int size = 256;
        while (size < sampleRate * 0.03)
        {
            size *= 2;
        }

        return size;
    }

    /// <summary>
    /// Suppresses the background in each of the <paramref name="prompts"/> targets of one window and rewrites their
    /// residuals as <paramref name="window"/> minus the target. <paramref name="valid"/> is the count of the window's
    /// real samples (less than its length only in the zero-padded last window).
    /// </summary>
    public void Apply(ReadOnlySpan<float> window, int valid, Span<float> targets, Span<float> residuals, int prompts)
    {
        int n = WindowSamples;
        if (window.Length != n)
        {
            throw new ArgumentException($"The window has {window.Length} samples; this suppressor was sized for {n}.", nameof(window));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(targets.Length, prompts * n, nameof(targets));
        ArgumentOutOfRangeException.ThrowIfLessThan(residuals.Length, prompts * n, nameof(residuals));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(valid, n, nameof(valid));
        if (!Gains(window, valid))
        {
            return; // too short to tell a background from anything else: the targets stay as the model made them
        }

        for (int p = 0; p < prompts; p++)
        {
            var target = targets.Slice(p * n, n);
            Filter(target);
            TensorPrimitives.Subtract(window, target, residuals.Slice(p * n, n));
        }
    }

    public void Dispose()
    {
        SampleBufferPool.Return(_gain);
        SampleBufferPool.Return(_output);
    }

    /// <summary>Start of frame <paramref name="k"/> in the window: frames begin one hop short of a whole frame before it.</summary>
    private int FrameStart(int k) => ((k + 1) * Hop) - Size;

    /// <summary>The mixture's power per bin and frame, turned into gains in place; false when no frame lies inside the real samples.</summary>
    private bool Gains(ReadOnlySpan<float> window, int valid)
    {
        int frames = Frames, bins = _fft.Bins, lanes = BatchedRealFft.Lanes;
        for (int k0 = 0; k0 < frames; k0 += lanes)
        {
            Analyse(window, k0);
            _fft.Power(_frames, _re);
            for (int lane = 0; lane < lanes && k0 + lane < frames; lane++)
            {
                for (int f = 0; f < bins; f++)
                {
                    _gain[(f * frames) + k0 + lane] = _re[(f * lanes) + lane];
                }
            }
        }

        int first = 0;
        while (first < frames && FrameStart(first) < 0)
        {
            first++;
        }

        int counted = 0;
        while (first + counted < frames && FrameStart(first + counted) + Size <= valid)
        {
            counted++;
        }

        if (counted == 0)
        {
            return false;
        }

        double toMean = 1 / -Math.Log(1 - _options.NoisePercentile);
        double floor = Math.Pow(10, _options.FloorDb / 10); // a power ratio
        int rank = (int)Math.Clamp(Math.Floor(_options.NoisePercentile * (counted - 1)), 0, counted - 1);
        var row = _row.AsSpan(0, counted);
        for (int f = 0; f < bins; f++)
        {
            var power = _gain.AsSpan(f * frames, frames);
            power.Slice(first, counted).CopyTo(row);
            double background = _options.OverSubtraction * toMean * Select(row, rank);
            for (int k = 0; k < frames; k++)
            {
                double p = power[k];
                power[k] = (float)Math.Sqrt(Math.Max(p > 0 ? 1 - (background / p) : 0, floor));
            }
        }

        return true;
    }

    /// <summary>Replaces <paramref name="target"/> by the overlap-add of its gained frames.</summary>
    private void Filter(Span<float> target)
    {
        int frames = Frames, bins = _fft.Bins, size = Size, lanes = BatchedRealFft.Lanes;
        Array.Clear(_output);
        for (int k0 = 0; k0 < frames; k0 += lanes)
        {
            Analyse(target, k0);
            _fft.Forward(_frames, _re, _im);
            for (int f = 0; f < bins; f++)
            {
                for (int lane = 0; lane < lanes; lane++)
                {
                    float g = k0 + lane < frames ? _gain[(f * frames) + k0 + lane] : 0f;
                    _re[(f * lanes) + lane] *= g;
                    _im[(f * lanes) + lane] *= g;
                }
            }

            _fft.Inverse(_re, _im, _frames);
            for (int lane = 0; lane < lanes && k0 + lane < frames; lane++)
            {
                var frame = _frames.AsSpan(lane * size, size);
                TensorPrimitives.Multiply(frame, _window, frame);
                var into = _output.AsSpan(FrameStart(k0 + lane) + size, size);
                TensorPrimitives.Add(into, frame, into);
            }
        }

        TensorPrimitives.Multiply(_output.AsSpan(size, target.Length), _scale, target);
    }

    /// <summary>Windowed frames <paramref name="k0"/> to <paramref name="k0"/> + Lanes - 1 of <paramref name="signal"/> (zeros outside it and past the last frame).</summary>
    private void Analyse(ReadOnlySpan<float> signal, int k0)
    {
        Array.Clear(_frames);
        for (int lane = 0; lane < BatchedRealFft.Lanes && k0 + lane < Frames; lane++)
        {
            int start = FrameStart(k0 + lane);
            var frame = _frames.AsSpan(lane * Size, Size);
            int from = Math.Max(0, start), to = Math.Min(signal.Length, start + Size);
            if (to > from)
            {
                signal[from..to].CopyTo(frame[(from - start)..]);
            }

            TensorPrimitives.Multiply(frame, _window, frame);
        }
    }

    /// <summary>
    /// The value of rank <paramref name="rank"/> in <paramref name="values"/> as if sorted (reorders them): Hoare's
    /// selection with a median-of-three pivot, so the same values always give the same answer in linear expected time.
    /// .NET has no nth-element, and sorting every bin's row was most of this stage's cost.
    /// </summary>
    internal static float Select(Span<float> values, int rank)
    {
        int lo = 0, hi = values.Length - 1;
        while (lo < hi)
        {
            int mid = lo + ((hi - lo) / 2);
            if (values[mid] < values[lo]) (values[mid], values[lo]) = (values[lo], values[mid]);
            if (values[hi] < values[lo]) (values[hi], values[lo]) = (values[lo], values[hi]);
            if (values[hi] < values[mid]) (values[hi], values[mid]) = (values[mid], values[hi]);
            float pivot = values[mid];
            int i = lo, j = hi;
            while (i <= j)
            {
                while (values[i] < pivot) i++;
                while (pivot < values[j]) j--;
                if (i <= j)
                {
                    (values[i], values[j]) = (values[j], values[i]);
                    i++;
                    j--;
                }
            }

            if (rank <= j) hi = j;
            else if (rank >= i) lo = i;
            else return values[rank];
        }

        return values[rank];
    }
}
