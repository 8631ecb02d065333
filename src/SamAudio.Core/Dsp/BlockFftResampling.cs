using System.Numerics;
using System.Runtime.InteropServices;

namespace SamAudio.Core.Dsp;

/// <summary>
/// The same filter as a <see cref="SincResamplingKernel"/> of an integer ratio (M:1 down or 1:L up), applied by fast
/// convolution: the filter's polyphase branches are correlated with the signal in blocks of <see cref="BlockFrames"/>
/// frames of the lower rate, with <see cref="BatchedRealFft"/> (one block per SIMD lane, overlap-save). Equal to the
/// direct dot products up to float rounding (a few 1e-7 of the block's level), at a tenth of their arithmetic: 48 to
/// 16 kHz with the model-input design is 214 multiply-adds per input sample directly, about 40 flops here.
/// </summary>
/// <remarks>
/// Hand-written, like <see cref="BatchedRealFft"/>, because the resamplers were the largest cost of the pipeline around
/// the model (issue 19; figures in docs/decisions/0009-block-resampling.md). Rounding depends on which samples share a
/// block, so blocks sit on a fixed grid counted from the stream's first output (down) or first input (up), and every
/// block reads only the samples its outputs need (zeros elsewhere): an output's bits depend on the stream start only
/// through that grid, which is why shard starts are whole numbers of blocks (<c>ShardGrid.StepFrames</c>).
/// <para>
/// Down, M:1: output k = Σ_j row[j]·x[kM - W + 1 + j]. With x_p[n] = x[nM + p] and j = Ma + p + W - 1 this is
/// Σ_p Σ_a h_p[a]·x_p[k + a], a correlation at the output rate per branch p, summed in the frequency domain so one
/// inverse transform serves all M branches. Up, 1:L: output nL + r = Σ_j row_r[j]·x[n - W + 1 + j], one correlation
/// at the input rate per phase r, all from one forward transform of the input block.
/// </para>
/// </remarks>
internal sealed class BlockFftResampling
{
    /// <summary>
    /// Frames of the lower rate per block: 0.1 s at 16 kHz. Shard grids are whole numbers of it (a divisor of the
    /// window hops people choose, 2 s and its multiples at any common rate).
    /// </summary>
    public const int BlockFrames = 1600;

    private readonly BatchedRealFft _fft;
    private readonly int _size, _bins, _lanes;
    private readonly int _branches; // M (down) or L (up)
    private readonly int _reach; // taps of a branch: A (down) or the row length (up)
    private readonly int _firstTap; // a_min (down, ≤ 0) or 1 - W (up): the offset of a block's first input
    private readonly float[] _filterRe, _filterIm; // [branch][bin], conjugated and scaled by 1/n; shared, read only

    // The branches' spectra of each kernel, computed once per process: 2 to 5 ms of double-precision DFTs that a batch of
    // short items otherwise paid per item and direction (1.2 s of CPU in a profile of 200 ten-second items).
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<SincResamplingKernel, Tuple<float[], float[]>> Spectra = new();
    private readonly float[] _frames, _re, _im, _sumRe, _sumIm;

    private BlockFftResampling(SincResamplingKernel kernel)
    {
        (Down, _branches, _firstTap, _reach) = Geometry(kernel);
        _size = (int)BitOperations.RoundUpToPowerOf2((uint)(BlockFrames + _reach - 1));
        _fft = new BatchedRealFft(_size);
        _bins = _fft.Bins;
        _lanes = BatchedRealFft.Lanes;
        (_filterRe, _filterIm) = Spectra.GetValue(kernel, k => FilterSpectra(k, _size, _bins));
        _frames = new float[_lanes * _size];
        _re = new float[_bins * _lanes];
        _im = new float[_bins * _lanes];
        _sumRe = new float[_bins * _lanes];
        _sumIm = new float[_bins * _lanes];
    }

    /// <summary>True for M:1 (blocks of output frames), false for 1:L (blocks of input frames).</summary>
    public bool Down { get; }

    /// <summary>Blocks computed per call: one per SIMD lane.</summary>
    public int BlocksPerBatch => _lanes;

    /// <summary>Output frames per block: <see cref="BlockFrames"/> (down) or L times it (up).</summary>
    public int OutputFramesPerBlock => Down ? BlockFrames : BlockFrames * _branches;

    /// <summary>Input frames per block: M times <see cref="BlockFrames"/> (down) or it (up).</summary>
    public int InputFramesPerBlock => Down ? BlockFrames * _branches : BlockFrames;

    /// <summary>Input frames each block reads before its own first input frame (its filter's reach back).</summary>
    public int LeadFrames => Down ? -_firstTap * _branches : -_firstTap;

    /// <summary>Input frames a block reads, from <see cref="LeadFrames"/> before its first input frame on.</summary>
    public int SpanFrames => Span(Down, _branches, _reach);

    /// <summary>True where the rates differ by an integer ratio, the ones resampled in blocks.</summary>
    public static bool AppliesTo(int inputRate, int outputRate) =>
        inputRate != outputRate && (inputRate % outputRate == 0 || outputRate % inputRate == 0);

    /// <summary>
    /// The block form of <paramref name="kernel"/>'s filter, or null where the ratio is not an integer (or the rates
    /// are equal), where the direct dot products stay.
    /// </summary>
    public static BlockFftResampling? For(SincResamplingKernel kernel) =>
        AppliesTo(kernel.InputStep, kernel.OutputStep) && !kernel.Interpolated ? new BlockFftResampling(kernel) : null;

    /// <summary>
    /// <see cref="SpanFrames"/> of the block form of <paramref name="kernel"/>, or null where it has none; without
    /// building it (no transforms, no buffers).
    /// </summary>
    public static int? SpanFramesOf(SincResamplingKernel kernel)
    {
        if (!AppliesTo(kernel.InputStep, kernel.OutputStep) || kernel.Interpolated)
        {
            return null;
        }

        var (down, branches, _, reach) = Geometry(kernel);
        return Span(down, branches, reach);
    }

    /// <summary>
    /// Direction, branch count (M down, L up), the offset of a block's first input relative to its first frame at the
    /// lower rate (a_min down, 1 - W up) and taps per branch (A down, the row length up).
    /// </summary>
    private static (bool Down, int Branches, int FirstTap, int Reach) Geometry(SincResamplingKernel kernel)
    {
        int w = kernel.HalfWidth;
        if (kernel.OutputStep == 1)
        {
            int m = kernel.InputStep, firstTap = FloorDiv(1 - w, m);
            return (true, m, firstTap, FloorDiv(w, m) - firstTap + 1);
        }

        return (false, kernel.OutputStep, 1 - w, kernel.Taps);
    }

    private static int Span(bool down, int branches, int reach) => down ? (BlockFrames + reach - 1) * branches : BlockFrames + reach - 1;

    /// <summary>
    /// Computes <see cref="BlocksPerBatch"/> consecutive blocks of one channel. <paramref name="input"/> holds the
    /// channel's extended samples with <paramref name="input"/>[0] at input frame <paramref name="inputOrigin"/>;
    /// block <c>first + i</c> reads input frames from <c>(first + i) * InputFramesPerBlock - LeadFrames</c> for
    /// <see cref="SpanFrames"/>, and <paramref name="output"/> receives the blocks' output frames one after another.
    /// Blocks from <paramref name="count"/> on are skipped (zero input, output left unwritten).
    /// </summary>
    public void Process(ReadOnlySpan<float> input, long inputOrigin, long first, int count, Span<float> output)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _lanes);
        ArgumentOutOfRangeException.ThrowIfLessThan(output.Length, count * OutputFramesPerBlock, nameof(output));
        if (Down)
        {
            _sumRe.AsSpan().Clear();
            _sumIm.AsSpan().Clear();
            for (int p = 0; p < _branches; p++)
            {
                Gather(input, inputOrigin, first, count, p, _branches);
                _fft.Forward(_frames, _re, _im);
                Accumulate(p);
            }

            _fft.Inverse(_sumRe, _sumIm, _frames);
            for (int i = 0; i < count; i++)
            {
                _frames.AsSpan(i * _size, BlockFrames).CopyTo(output.Slice(i * BlockFrames, BlockFrames));
            }

            return;
        }

        Gather(input, inputOrigin, first, count, 0, 1);
        _fft.Forward(_frames, _re, _im);
        int l = _branches;
        for (int r = 0; r < l; r++)
        {
            _sumRe.AsSpan().Clear();
            _sumIm.AsSpan().Clear();
            Accumulate(r);
            _fft.Inverse(_sumRe, _sumIm, _frames);
            for (int i = 0; i < count; i++)
            {
                var block = _frames.AsSpan(i * _size, BlockFrames);
                var into = output.Slice(i * BlockFrames * l, BlockFrames * l);
                for (int n = 0; n < BlockFrames; n++) into[(n * l) + r] = block[n];
            }
        }
    }

    /// <summary>Lane i gets block first + i's samples of branch p (every step-th frame from offset p), zeros after them.</summary>
    private void Gather(ReadOnlySpan<float> input, long inputOrigin, long first, int count, int p, int step)
    {
        int used = BlockFrames + _reach - 1;
        for (int i = 0; i < _lanes; i++)
        {
            var frame = _frames.AsSpan(i * _size, _size);
            if (i >= count)
            {
                frame.Clear();
                continue;
            }

            // Down: branch sample a of block b is x[(b·BlockFrames + firstTap + a)·M + p]; up (step 1, p 0): x[b·BlockFrames + firstTap + a].
            long start = (((first + i) * BlockFrames) + _firstTap) * step + p - inputOrigin;
            var from = input.Slice((int)start);
            if (step == 1)
            {
                from[..used].CopyTo(frame);
            }
            else
            {
                for (int a = 0; a < used; a++) frame[a] = from[a * step];
            }

            frame[used..].Clear();
        }
    }

    /// <summary>sum += spectrum · filter[branch] in every lane (the filter is already conjugated and scaled).</summary>
    private void Accumulate(int branch)
    {
        var re = MemoryMarshal.Cast<float, Vector<float>>(_re.AsSpan());
        var im = MemoryMarshal.Cast<float, Vector<float>>(_im.AsSpan());
        var sumRe = MemoryMarshal.Cast<float, Vector<float>>(_sumRe.AsSpan());
        var sumIm = MemoryMarshal.Cast<float, Vector<float>>(_sumIm.AsSpan());
        var filterRe = _filterRe.AsSpan(branch * _bins, _bins);
        var filterIm = _filterIm.AsSpan(branch * _bins, _bins);
        for (int k = 0; k < _bins; k++)
        {
            var gr = new Vector<float>(filterRe[k]);
            var gi = new Vector<float>(filterIm[k]);
            var ur = re[k];
            var ui = im[k];
            sumRe[k] += (ur * gr) - (ui * gi);
            sumIm[k] += (ur * gi) + (ui * gr);
        }
    }

    /// <summary>Every branch's <see cref="Spectrum"/> of <paramref name="kernel"/>, branch after branch, for transforms of <paramref name="size"/> points.</summary>
    private static Tuple<float[], float[]> FilterSpectra(SincResamplingKernel kernel, int size, int bins)
    {
        var (down, branchCount, firstTap, reach) = Geometry(kernel);
        int w = kernel.HalfWidth, taps = kernel.Taps;
        var re = new float[branchCount * bins];
        var im = new float[branchCount * bins];
        var cos = new double[size];
        var sin = new double[size];
        for (int i = 0; i < size; i++)
        {
            cos[i] = Math.Cos(2 * Math.PI * i / size);
            sin[i] = Math.Sin(2 * Math.PI * i / size);
        }

        var branch = new double[reach];
        for (int b = 0; b < branchCount; b++)
        {
            var row = kernel.Row(down ? 0 : b);
            for (int a = 0; a < reach; a++)
            {
                // Down: tap a of branch p is row[M·(firstTap + a) + p + W - 1]; up: branch r is row r itself.
                int j = down ? (branchCount * (firstTap + a)) + b + w - 1 : a;
                branch[a] = j >= 0 && j < taps ? row[j] : 0;
            }

            Spectrum(branch, cos, sin, re.AsSpan(b * bins, bins), im.AsSpan(b * bins, bins));
        }

        return Tuple.Create(re, im);
    }

    /// <summary>conj(DFT(taps)) / n in double precision (from tables of cos and sin of 2πi/n), so the filter's spectrum adds no rounding of its own.</summary>
    private static void Spectrum(double[] taps, double[] cos, double[] sin, Span<float> filterRe, Span<float> filterIm)
    {
        int size = cos.Length, mask = size - 1;
        for (int k = 0; k < filterRe.Length; k++)
        {
            // DFT: X[k] = Σ taps[t]·e^(-2πikt/n); stored conjugated, so +sin.
            double re = 0, im = 0;
            for (int t = 0; t < taps.Length; t++)
            {
                int i = (k * t) & mask;
                re += taps[t] * cos[i];
                im += taps[t] * sin[i];
            }

            filterRe[k] = (float)(re / size);
            filterIm[k] = (float)(im / size);
        }
    }

    private static int FloorDiv(int a, int b) => (int)Math.Floor((double)a / b);
}
