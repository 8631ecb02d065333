using System.Numerics.Tensors;
using NWaves.Transforms;
using SamAudio.Reports.Signals;

namespace SamAudio.Reports.Spectrograms;

/// <summary>
/// Streaming STFT of a <see cref="SignalSource"/> into a <see cref="Spectrogram"/> of at most
/// <see cref="SpectrogramOptions.MaxColumns"/> columns. Memory is one read block, one FFT frame and the output grid,
/// whatever the length of the signal. FFT: NWaves' <see cref="RealFft"/>, the library the mask models' STFT already
/// uses (docs/decisions/0002). Periodic Hann window; frames overlap by half while a column holds few of them and
/// touch end to end (every sample still analysed once) for long signals, where the pooling hides the difference.
/// </summary>
internal sealed class SpectrogramAnalyzer(SpectrogramOptions options)
{
    /// <summary>Above this many half-overlapped frames per column, frames stop overlapping.</summary>
    private const int OverlapUpToFramesPerColumn = 8;

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
        int bins = (nFft / 2) + 1;
        int rows = Math.Min(options.Rows, bins);
        var power = new float[columns * rows]; // linear power, max-pooled; turned into dB in place at the end
        var window = new float[nFft];
        for (int i = 0; i < nFft; i++) window[i] = (float)(0.5 - (0.5 * Math.Cos(2 * Math.PI * i / nFft)));

        // A full-scale sine has |X| = nFft/4 in its bin under a periodic Hann window.
        float fullScale = (nFft / 4f) * (nFft / 4f);
        var fft = new RealFft(nFft);
        var frame = new float[nFft];
        var windowed = new float[nFft];
        var re = new float[nFft];
        var im = new float[nFft];
        var rowOfBin = new int[bins];
        for (int b = 0; b < bins; b++) rowOfBin[b] = (int)((long)b * rows / bins);

        using var reader = await source.OpenAtAsync(0, cancellationToken).ConfigureAwait(false);
        var block = new float[Math.Max(options.BlockFrames, nFft)];
        int blockLength = 0, blockPosition = 0;
        bool ended = false;
        int filled = 0; // samples of the current frame in hand
        for (long t = 0; t < frames; t++)
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
                    progress?.Report(Math.Min(1.0, (t * (double)hop) / Math.Max(1, source.Frames)));
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

            TensorPrimitives.Multiply(frame, window, windowed);
            fft.Direct(windowed, re, im);
            int column = (int)(t * columns / frames);
            var cells = power.AsSpan(column * rows, rows);
            for (int b = 0; b < bins; b++)
            {
                float p = (re[b] * re[b]) + (im[b] * im[b]);
                ref float cell = ref cells[rowOfBin[b]];
                if (p > cell) cell = p;
            }

            // Keep the frame's last nFft - hop samples for the next frame.
            frame.AsSpan(hop).CopyTo(frame);
            filled = nFft - hop;
        }

        for (int i = 0; i < power.Length; i++)
        {
            power[i] = power[i] > 0 ? (float)(10 * Math.Log10(power[i] / fullScale)) : -300f;
        }

        progress?.Report(1.0);
        return new Spectrogram(columns, rows, power, source.SampleRate, startSeconds, source.Frames / (double)source.SampleRate, nFft, hop, frames / (double)columns);
    }
}
