using System.Numerics.Tensors;
using SamAudio.Core.Dsp;
using SamAudio.Reports.Signals;

namespace SamAudio.Reports.Spectrograms;

/// <summary>
/// Streaming STFT of a <see cref="SignalSource"/> into a <see cref="Spectrogram"/> of at most
/// <see cref="SpectrogramOptions.MaxColumns"/> columns. FFT: <see cref="BatchedRealFft"/>, a frame per SIMD lane, shared
/// with the mask models' STFT. Periodic Hann window; frames overlap by half while a column holds few of them
/// and touch end to end (every sample still analysed once) for long signals, where the pooling hides the difference.
/// </summary>
/// <remarks>
/// The columns are cut into <see cref="SpectrogramOptions.Parallelism"/> runs analysed side by side, each with its own
/// reader opened at its first frame, so one signal keeps every core busy. A run writes only its own columns and a
/// column's frames are the same whichever run reads them, so the grid is the same bytes for any number of runs. Memory
/// is, per run, one read block and one FFT frame, plus the output grid, whatever the length of the signal.
/// </remarks>
internal sealed class SpectrogramAnalyzer(SpectrogramOptions options)
{
    /// <summary>Above this many half-overlapped frames per column, frames stop overlapping.</summary>
    private const int OverlapUpToFramesPerColumn = 8;

    /// <summary>Fewer frames than this per run are not worth a reader of their own.</summary>
    private const long MinFramesPerRun = 4096;

    public async Task<Spectrogram> AnalyzeAsync(SignalSource source, double startSeconds, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        options.Validate();
        await Task.Yield();
        int nFft = source.SampleRate >= 32000 ? 1024 : 512;
        long halfHopFrames = Math.Max(1, (source.Frames + (nFft / 2) - 1) / (nFft / 2));
        int hop = halfHopFrames / Math.Min(options.MaxColumns, halfHopFrames) > OverlapUpToFramesPerColumn ? nFft : nFft / 2;
        long frames = Math.Max(1, (source.Frames + hop - 1) / hop);
        int columns = (int)Math.Min(options.MaxColumns, frames);
        int rows = Math.Min(options.Rows, (nFft / 2) + 1);
        var grid = new Grid(nFft, hop, frames, columns, rows);

        int runs = (int)Math.Clamp(frames / MinFramesPerRun, 1, Math.Min(options.Parallelism, columns));
        long done = 0;
        var gate = new object();
        void Advance(long framesDone)
        {
            if (progress is null) return;
            lock (gate)
            {
                done += framesDone;
                progress.Report(Math.Min(1.0, done / (double)frames));
            }
        }

        await Parallel.ForEachAsync(
            Enumerable.Range(0, runs),
            new ParallelOptions { MaxDegreeOfParallelism = runs, CancellationToken = cancellationToken },
            async (run, ct) =>
            {
                int firstColumn = (int)((long)run * columns / runs), endColumn = (int)((long)(run + 1) * columns / runs);
                await AnalyzeColumnsAsync(source, grid, grid.FirstFrameOf(firstColumn), grid.FirstFrameOf(endColumn), Advance, ct).ConfigureAwait(false);
            }).ConfigureAwait(false);

        var power = grid.Power;
        // A full-scale sine has |X| = nFft/4 in its bin under a periodic Hann window.
        float fullScale = (nFft / 4f) * (nFft / 4f);
        for (int i = 0; i < power.Length; i++)
        {
            power[i] = power[i] > 0 ? (float)(10 * Math.Log10(power[i] / fullScale)) : -300f;
        }

        progress?.Report(1.0);
        return new Spectrogram(columns, rows, power, source.SampleRate, startSeconds, source.Frames / (double)source.SampleRate, nFft, hop, frames / (double)columns);
    }

    /// <summary>The STFT's shape and the output grid, linear power max-pooled (turned into dB in place at the end).</summary>
    private sealed class Grid(int nFft, int hop, long frames, int columns, int rows)
    {
        public int FftSize { get; } = nFft;
        public int Hop { get; } = hop;
        public long Frames { get; } = frames;
        public int Columns { get; } = columns;
        public int Rows { get; } = rows;
        public float[] Power { get; } = new float[columns * rows];

        /// <summary>The column frame <paramref name="t"/> is pooled into.</summary>
        public int ColumnOf(long t) => (int)(t * Columns / Frames);

        /// <summary>The first frame pooled into <paramref name="column"/> (<see cref="Frames"/> for the end).</summary>
        public long FirstFrameOf(int column) => ((column * Frames) + Columns - 1) / Columns;
    }

    /// <summary>Frames <paramref name="firstFrame"/> up to <paramref name="endFrame"/>, which fill whole columns of the grid.</summary>
    private async Task AnalyzeColumnsAsync(SignalSource source, Grid grid, long firstFrame, long endFrame, Action<long> advance, CancellationToken cancellationToken)
    {
        int nFft = grid.FftSize, hop = grid.Hop, rows = grid.Rows;
        var window = new float[nFft];
        for (int i = 0; i < nFft; i++) window[i] = (float)(0.5 - (0.5 * Math.Cos(2 * Math.PI * i / nFft)));
        var spectra = new BatchedRealFft(nFft);
        int lanes = BatchedRealFft.Lanes, bins = spectra.Bins;
        var batch = new float[lanes * nFft]; // windowed frames, one per lane
        var power = new float[bins * lanes];
        var columnOfLane = new int[lanes];
        int batched = 0;
        var frame = new float[nFft];
        var rowOfBin = new int[bins];
        for (int b = 0; b < bins; b++) rowOfBin[b] = (int)((long)b * rows / bins);

        void Pool()
        {
            spectra.Power(batch, power);
            for (int f = 0; f < batched; f++)
            {
                var cells = grid.Power.AsSpan(columnOfLane[f] * rows, rows);
                for (int b = 0; b < bins; b++)
                {
                    float p = power[(b * lanes) + f];
                    ref float cell = ref cells[rowOfBin[b]];
                    if (p > cell) cell = p;
                }
            }

            batched = 0;
        }

        using var reader = await source.OpenAtAsync(firstFrame * hop, cancellationToken).ConfigureAwait(false);
        var block = new float[Math.Max(options.BlockFrames, nFft)];
        int blockLength = 0, blockPosition = 0;
        bool ended = false;
        int filled = 0; // samples of the current frame in hand
        long reported = firstFrame;
        for (long t = firstFrame; t < endFrame; t++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // Fill the frame to nFft samples (zeros after the end of the signal).
            while (filled < nFft)
            {
                if (blockPosition == blockLength && !ended)
                {
                    blockLength = reader.ReadFully(block);
                    blockPosition = 0;
                    ended = blockLength < block.Length;
                    advance(t - reported);
                    reported = t;
                }

                int take = Math.Min(nFft - filled, blockLength - blockPosition);
                if (take <= 0)
                {
                    frame.AsSpan(filled).Clear();
                    filled = nFft;
                    break;
                }

                block.AsSpan(blockPosition, take).CopyTo(frame.AsSpan(filled));
                blockPosition += take;
                filled += take;
            }

            TensorPrimitives.Multiply(frame, window, batch.AsSpan(batched * nFft, nFft));
            columnOfLane[batched++] = grid.ColumnOf(t);
            if (batched == lanes) Pool();

            // Keep the frame's last nFft - hop samples for the next frame.
            frame.AsSpan(hop).CopyTo(frame);
            filled = nFft - hop;
        }

        if (batched > 0)
        {
            batch.AsSpan(batched * nFft).Clear(); // lanes without a frame compute silence, which is never pooled
            Pool();
        }

        advance(endFrame - reported);
    }
}
