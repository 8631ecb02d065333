using System.Runtime.Intrinsics;
using NAudio.Wave;
using SamAudio.Core.Dsp;

namespace SamAudio.Core.Audio;

/// <summary>
/// Band-limited resampling of interleaved float audio (any channel count) to <see cref="WaveFormat"/>'s rate,
/// with a Kaiser-windowed sinc (<see cref="SincResamplingKernel"/>: 100 dB stopband; where it is flat and where it
/// stops, around the lower Nyquist, is a <see cref="ResamplingDesign"/>), applied by direct dot products or, where the
/// rates are an integer ratio, by blocks of fast convolution (<see cref="BlockFftResampling"/>: the same filter, a
/// tenth of the arithmetic, float rounding apart). Zero-latency timeline: output frame k is
/// the band-limited input at time k * inRate / outRate, and the output has exactly <see cref="OutputFrames"/> frames.
/// The edges are extended by mirroring the signal, so a constant stays that constant up to the first and last sample. Deterministic; equal rates pass samples
/// through untouched. <see cref="Read"/> fills the buffer (whole frames) unless the end is reached; 0 means the end.
/// Its planes come from <see cref="SampleBufferPool"/>; disposing gives them back (an undisposed resampler leaves them
/// to the collector).
/// </summary>
public sealed class Resampler : ISampleProvider, IDisposable
{
    private const int ChunkFrames = 4096;

    private readonly ISampleProvider source;
    private readonly SincResamplingKernel? kernel;
    private readonly BlockFftResampling? blocks; // integer ratios: the same filter by fast convolution
    private readonly float[][] pending = []; // per channel: the last batch of blocks' output frames
    private int pendingStart;
    private int pendingCount;
    private long nextBlock;
    private readonly int channels;
    private readonly float[][] planes; // per channel: extended input x[origin .. origin + count)
    private readonly float[] interleaved;
    private readonly int tailReach; // frames past the last input frame that outputs read (the mirrored tail)
    private long origin;
    private int count;
    private long framesIn;
    private bool ended;
    private bool leadInDone;
    private bool disposed;
    private long outputTotal = long.MaxValue;
    private long outputIndex;
    private long position; // floor(t) of the next output
    private long remainder; // (t - floor(t)) * L of the next output

    /// <summary>
    /// Resamples <paramref name="source"/> to <paramref name="outputRate"/> frames per second with the low-pass
    /// <paramref name="design"/> (default <see cref="ResamplingDesign.Output"/>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="outputRate"/> is not positive.</exception>
    public Resampler(ISampleProvider source, int outputRate, ResamplingDesign? design = null)
        : this(source, outputRate, design, blocksAllowed: true)
    {
    }

    /// <summary>As the public constructor; <paramref name="blocksAllowed"/> false keeps the direct dot products for integer ratios too (tests compare the two).</summary>
    internal Resampler(ISampleProvider source, int outputRate, ResamplingDesign? design, bool blocksAllowed)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputRate);
        this.source = source;
        channels = source.WaveFormat.Channels;
        WaveFormat = WaveFormat.CreateIeeeFloatWaveFormat(outputRate, channels);
        if (source.WaveFormat.SampleRate == outputRate)
        {
            planes = [];
            interleaved = [];
            return;
        }

        kernel = SincResamplingKernel.Create(source.WaveFormat.SampleRate, outputRate, design);
        blocks = blocksAllowed ? BlockFftResampling.For(kernel) : null;
        var capacity = (2 * (kernel.Taps + ChunkFrames)) + 8;
        var lead = kernel.HalfWidth;
        if (blocks is not null)
        {
            capacity = ((blocks.BlocksPerBatch - 1) * blocks.InputFramesPerBlock) + blocks.SpanFrames + (2 * ChunkFrames) + 8;
            lead = Math.Max(lead, blocks.LeadFrames);
            pending = new float[channels][];
            for (var c = 0; c < channels; c++) pending[c] = SampleBufferPool.Rent(blocks.BlocksPerBatch * blocks.OutputFramesPerBlock);
        }

        planes = new float[channels][];
        for (var c = 0; c < channels; c++) planes[c] = SampleBufferPool.Rent(capacity);
        interleaved = new float[ChunkFrames * channels];
        origin = -lead; // the first slots hold the mirrored lead-in
        count = lead;
        tailReach = lead + 2;
    }

    /// <summary>Output format: 32-bit float, the target rate, the source's channel count.</summary>
    public WaveFormat WaveFormat { get; }

    /// <summary>The exact output length for an input of <paramref name="inputFrames"/> frames:
    /// round(inputFrames * outputRate / inputRate), halves rounded up.</summary>
    public static long OutputFrames(long inputFrames, int inputRate, int outputRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inputFrames);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputRate);
        return (long)(((Int128)inputFrames * outputRate * 2 + inputRate) / (2 * (Int128)inputRate));
    }

    /// <summary>Gives the planes back to <see cref="SampleBufferPool"/>; the resampler cannot be read afterwards.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        foreach (var plane in planes.Concat(pending)) SampleBufferPool.Return(plane);
    }

    /// <summary>Fills <paramref name="buffer"/> with resampled frames; returns the number of samples written.</summary>
    public int Read(Span<float> buffer)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (kernel is null) return source.Read(buffer);
        if (blocks is not null) return ReadBlocks(buffer);
        var frames = buffer.Length / channels;
        var produced = 0;
        while (produced < frames)
        {
            // Four frames at once where the table has a row per phase (OrderedSum.Dot4: the same bits as one at a time).
            if (!kernel.Interpolated && frames - produced >= 4 && ReadFour(buffer, produced))
            {
                produced += 4;
                continue;
            }

            var first = position - kernel.HalfWidth + 1;
            Fill(first, position + kernel.HalfWidth + 1);
            if (outputIndex >= outputTotal) break;
            var offset = (int)(first - origin);
            for (var c = 0; c < channels; c++)
            {
                var input = planes[c].AsSpan(offset, kernel.Taps);
                buffer[(produced * channels) + c] = Interpolate(input);
            }

            produced++;
            Advance();
        }

        return produced * channels;
    }

    /// <summary>Integer ratios: output frames from whole blocks (<see cref="BlockFftResampling"/>), a batch at a time.</summary>
    private int ReadBlocks(Span<float> buffer)
    {
        var frames = buffer.Length / channels;
        var produced = 0;
        while (produced < frames && outputIndex < outputTotal)
        {
            if (pendingStart == pendingCount)
            {
                ProduceBlocks();
                if (pendingCount == 0) break;
            }

            var n = (int)Math.Min(Math.Min(pendingCount - pendingStart, frames - produced), outputTotal - outputIndex);
            for (var c = 0; c < channels; c++)
            {
                var from = pending[c].AsSpan(pendingStart, n);
                for (var f = 0; f < n; f++) buffer[((produced + f) * channels) + c] = from[f];
            }

            pendingStart += n;
            produced += n;
            outputIndex += n;
        }

        return produced * channels;
    }

    /// <summary>The next batch of blocks into <see cref="pending"/> (none once the input has run out).</summary>
    private void ProduceBlocks()
    {
        var b = blocks!;
        var firstInput = (nextBlock * b.InputFramesPerBlock) - b.LeadFrames;
        Fill(firstInput, firstInput + ((b.BlocksPerBatch - 1) * b.InputFramesPerBlock) + b.SpanFrames);
        var count = b.BlocksPerBatch;
        if (ended)
        {
            var left = outputTotal - (nextBlock * b.OutputFramesPerBlock);
            count = (int)Math.Clamp((left + b.OutputFramesPerBlock - 1) / b.OutputFramesPerBlock, 0, count);
        }

        pendingStart = 0;
        pendingCount = count * b.OutputFramesPerBlock;
        if (count == 0) return;
        for (var c = 0; c < channels; c++) b.Process(planes[c], origin, nextBlock, count, pending[c]);
        nextBlock += count;
    }

    /// <summary>Moves the timeline on by one output frame.</summary>
    private void Advance()
    {
        outputIndex++;
        remainder += kernel!.InputStep;
        position += remainder / kernel.OutputStep;
        remainder %= kernel.OutputStep;
    }

    /// <summary>
    /// Writes the next four output frames at <paramref name="at"/> when all four exist (false, and nothing moved,
    /// near the end, where the caller goes on one frame at a time).
    /// </summary>
    private bool ReadFour(Span<float> buffer, int at)
    {
        var k = kernel!;
        long p = position, r = remainder;
        Span<long> starts = stackalloc long[4];
        Span<int> rows = stackalloc int[4];
        for (var j = 0; j < 4; j++)
        {
            starts[j] = p - k.HalfWidth + 1;
            rows[j] = (int)r;
            r += k.InputStep;
            p += r / k.OutputStep;
            r %= k.OutputStep;
        }

        Fill(starts[0], starts[3] + k.Taps);
        if (outputTotal - outputIndex < 4) return false;
        var xOffsets = Vector128.Create((int)(starts[0] - origin), (int)(starts[1] - origin), (int)(starts[2] - origin), (int)(starts[3] - origin));
        var yOffsets = Vector128.Create(rows[0], rows[1], rows[2], rows[3]) * k.Taps;
        for (var c = 0; c < channels; c++)
        {
            var four = OrderedSum.Dot4(planes[c], xOffsets, k.Table, yOffsets, k.Taps);
            for (var j = 0; j < 4; j++) buffer[((at + j) * channels) + c] = four[j];
        }

        // The loop above already stepped the timeline four frames on.
        outputIndex += 4;
        position = p;
        remainder = r;
        return true;
    }

    private float Interpolate(ReadOnlySpan<float> input)
    {
        var k = kernel!;
        if (!k.Interpolated) return OrderedSum.Dot(input, k.Row((int)remainder));
        var exact = (double)remainder * SincResamplingKernel.MaxExactPhases / k.OutputStep;
        var row = (int)exact;
        var a = (float)(exact - row);
        return ((1 - a) * OrderedSum.Dot(input, k.Row(row))) + (a * OrderedSum.Dot(input, k.Row(row + 1)));
    }

    /// <summary>Makes x[first .. end) available, reading the source and mirroring at both ends as needed.</summary>
    private void Fill(long first, long end)
    {
        while (origin + count < end)
        {
            Compact(first);
            if (!ended)
            {
                var room = Math.Min(ChunkFrames, planes[0].Length - count);
                var got = source.Read(interleaved.AsSpan(0, room * channels)) / channels;
                if (got == 0)
                {
                    ended = true;
                    outputTotal = OutputFrames(framesIn, source.WaveFormat.SampleRate, WaveFormat.SampleRate);
                    if (framesIn == 0) return;
                }

                for (var c = 0; c < channels; c++)
                {
                    var plane = planes[c];
                    for (var f = 0; f < got; f++) plane[count + f] = interleaved[(f * channels) + c];
                }

                count += got;
                framesIn += got;
                if (!leadInDone && (framesIn > -origin || ended)) MirrorLeadIn();
                continue;
            }

            var need = (int)Math.Min(end - (origin + count), planes[0].Length - count);
            for (var c = 0; c < channels; c++)
            {
                var plane = planes[c];
                for (var j = 0; j < need; j++)
                {
                    // x[N-1+d] = x[N-1-d] as far as any output reaches; zero past that, where only the discarded
                    // outputs of a last batch of blocks (or of four frames) read, so those reads stay deterministic.
                    var at = origin + count + j;
                    var mirrored = Math.Max((2 * (framesIn - 1)) - at, 0);
                    plane[count + j] = at - (framesIn - 1) > tailReach ? 0 : plane[Math.Max(mirrored - origin, 0)];
                }
            }

            count += need;
        }
    }

    /// <summary>x[-d] = x[d] (clamped to the last frame for inputs shorter than the lead-in).</summary>
    private void MirrorLeadIn()
    {
        var lead = (int)-origin;
        for (var c = 0; c < channels; c++)
        {
            var plane = planes[c];
            for (var d = 1; d <= lead; d++) plane[lead - d] = plane[lead + (int)Math.Min(d, framesIn - 1)];
        }

        leadInDone = true;
    }

    /// <summary>Drops what no later output needs, keeping two frames of slack for the mirrored tail.</summary>
    private void Compact(long first)
    {
        if (planes[0].Length - count >= ChunkFrames) return;
        var drop = (int)Math.Max(0, first - 2 - origin);
        if (drop == 0) return;
        foreach (var plane in planes) plane.AsSpan(drop, count - drop).CopyTo(plane);
        origin += drop;
        count -= drop;
    }
}
