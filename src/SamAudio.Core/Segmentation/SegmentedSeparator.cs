using System.Numerics.Tensors;
using System.Threading.Channels;
using NAudio.Wave;
using SamAudio.Core.Audio;
using SamAudio.Core.Dsp;
using SamAudio.Core.Separation;

namespace SamAudio.Core.Segmentation;

/// <summary>
/// The whole long-audio algorithm in one place: cut a mono stream into fixed-length windows that overlap by
/// <see cref="SegmentationOptions.OverlapSamples"/>, run the engine on each window (all prompts in one call),
/// crossfade neighbouring outputs with a complementary fade and emit exactly as many samples as the input had.
/// <para>
/// Window <c>k</c> starts at sample <c>k * hop</c>. The last window is zero-padded to full length so the model
/// always sees the same shape; the padding is never emitted. The first window has no fade-in and the last no
/// fade-out, so an identity model reproduces its input. Decoding runs on its own task and hands windows over
/// a bounded channel, so memory is a few windows whatever the recording's length. Those buffers come from
/// <see cref="SampleBufferPool"/> and go back to it when the run has stopped, so a batch reuses them item after item.
/// </para>
/// <para>
/// An engine that solves across windows (<see cref="ISeparationEngine.OpenSpan"/>: the flow family's multi-diffusion)
/// takes the same windows and writes to the sink itself; the crossfade here is then not used.
/// </para>
/// <para>
/// With <see cref="SegmentationOptions.Background"/> set, each window's targets lose the window's steady background
/// right after the model (<see cref="BackgroundSuppressor"/>, decision 0010), before the crossfade.
/// </para>
/// </summary>
public sealed class SegmentedSeparator
{
    private const int BuffersInFlight = 3;
    private readonly ISeparationEngine _engine;
    private readonly SegmentationOptions _options;
    private readonly Crossfade _crossfade;

    public SegmentedSeparator(ISeparationEngine engine, SegmentationOptions options)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(options);
        _engine = engine;
        _options = options;
        _crossfade = new Crossfade(options.OverlapSamples);
    }

    /// <summary>
    /// Separates <paramref name="source"/> (mono, at the engine's rate) to its end and returns the number of
    /// samples emitted, which equals the number read.
    /// </summary>
    public Task<long> RunAsync(
        ISampleProvider source,
        PromptBatch prompts,
        ISeparatedSink sink,
        IProgress<long>? progress = null,
        CancellationToken cancellationToken = default) =>
        RunAsync(source, prompts, sink, progress, stopSource: null, cancellationToken);

    /// <summary>
    /// As the public overload; when separation fails or is cancelled, <paramref name="stopSource"/> is called before
    /// decoding is waited for: it ends a source that may be waiting on a stage after the model (the residuals'
    /// mixture tap waits for room in their queues), which the cancellation cannot reach.
    /// </summary>
    internal Task<long> RunAsync(
        ISampleProvider source,
        PromptBatch prompts,
        ISeparatedSink sink,
        IProgress<long>? progress,
        Action? stopSource,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        return RunAsync(source, _ => ValueTask.FromResult(prompts), sink, progress, stopSource, cancellationToken);
    }

    /// <summary>
    /// As the overload above, with the prompts asked for once decoding is under way: <paramref name="prompts"/> is the
    /// first call that may wait for the engine (a batch's next item decodes its first windows while the engine still
    /// serves the item before it), and no other engine call comes before it returns.
    /// </summary>
    internal async Task<long> RunAsync(
        ISampleProvider source,
        Func<CancellationToken, ValueTask<PromptBatch>> prompts,
        ISeparatedSink sink,
        IProgress<long>? progress,
        Action? stopSource,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(sink);
        if (source.WaveFormat.Channels != 1)
        {
            throw new ArgumentException($"The source must be mono; it has {source.WaveFormat.Channels} channels.", nameof(source));
        }

        int w = _options.WindowSamples;
        var free = Channel.CreateBounded<float[]>(BuffersInFlight);
        var filled = Channel.CreateBounded<Window>(BuffersInFlight);
        var windows = new float[BuffersInFlight][];
        for (int i = 0; i < BuffersInFlight; i++)
        {
            windows[i] = SampleBufferPool.Rent(w);
            free.Writer.TryWrite(windows[i]);
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reader = Task.Run(() => ReadWindowsAsync(source, free.Reader, filled.Writer, cts.Token), cts.Token);
        try
        {
            var batch = await prompts(cts.Token).ConfigureAwait(false);
            long emitted = await SeparateWindowsAsync(batch, free.Writer, filled.Reader, sink, progress, cts.Token).ConfigureAwait(false);
            await reader.ConfigureAwait(false);
            return emitted;
        }
        catch
        {
            await cts.CancelAsync().ConfigureAwait(false);
            stopSource?.Invoke();
            try
            {
                await reader.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // The reader stops because we cancelled it, or it failed itself and separation saw the same exception.
                // The original exception is what matters: a refused prompt, say, not the decoding that ran ahead of it.
            }

            throw;
        }
        finally
        {
            // Decoding and separation have both stopped: no window is read or written any more.
            foreach (var window in windows)
            {
                SampleBufferPool.Return(window);
            }
        }
    }

    private async Task ReadWindowsAsync(ISampleProvider source, ChannelReader<float[]> free, ChannelWriter<Window> filled, CancellationToken cancellationToken)
    {
        int w = _options.WindowSamples;
        int hop = _options.HopSamples;
        int overlap = _options.OverlapSamples;
        var current = SampleBufferPool.Rent(w);
        var pending = SampleBufferPool.Rent(hop);
        try
        {
            int valid = ReadFully(source, current);
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int pendingCount = valid == w ? ReadFully(source, pending) : 0;
                bool last = pendingCount == 0;
                var buffer = await free.ReadAsync(cancellationToken).ConfigureAwait(false);
                current.AsSpan(0, valid).CopyTo(buffer);
                buffer.AsSpan(valid).Clear();
                await filled.WriteAsync(new Window(buffer, valid, last), cancellationToken).ConfigureAwait(false);
                if (last)
                {
                    break;
                }

                current.AsSpan(hop, overlap).CopyTo(current);
                pending.AsSpan(0, pendingCount).CopyTo(current.AsSpan(overlap));
                valid = overlap + pendingCount;
            }

            filled.Complete();
        }
        catch (Exception ex)
        {
            filled.Complete(ex);
            throw;
        }
        finally
        {
            SampleBufferPool.Return(current);
            SampleBufferPool.Return(pending);
        }
    }

    private async Task<long> SeparateWindowsAsync(
        PromptBatch prompts,
        ChannelWriter<float[]> free,
        ChannelReader<Window> filled,
        ISeparatedSink sink,
        IProgress<long>? progress,
        CancellationToken cancellationToken)
    {
        using var span = _engine.OpenSpan(_options, prompts, sink);
        if (span is not null && _options.Background is not null)
        {
            throw new NotSupportedException($"Model '{_engine.Description.ModelId}' solves across windows, so the steady background cannot be taken out window by window; leave \"background\" out (or \"keep\") for this model.");
        }

        if (span is not null)
        {
            return await SeparateSpanAsync(span, free, filled, progress, cancellationToken).ConfigureAwait(false);
        }

        int w = _options.WindowSamples;
        int hop = _options.HopSamples;
        int overlap = _options.OverlapSamples;
        int p = prompts.Count;
        using var buffers = new CrossfadeBuffers(p, w, hop, overlap);
        var (targets, residuals, accTargets, accResiduals) = (buffers.Targets, buffers.Residuals, buffers.AccTargets, buffers.AccResiduals);
        var (accMixture, outTargets, outResiduals) = (buffers.AccMixture, buffers.OutTargets, buffers.OutResiduals);
        long emitted = 0;
        long start = _options.StartSample;
        bool first = true;
        using var background = _options.Background is { } settings ? new BackgroundSuppressor(_engine.Description.SampleRate, w, settings) : null;

        await foreach (var window in filled.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            await _engine.SeparateAsync(window.Samples, start, prompts, targets, residuals, cancellationToken).ConfigureAwait(false);
            background?.Apply(window.Samples, window.Valid, targets, residuals, p);
            start += hop;
            Accumulate(window.Samples, accMixture, first, window.IsLast);
            for (int i = 0; i < p; i++)
            {
                Accumulate(targets.AsSpan(i * w, w), accTargets.AsSpan(i * w, w), first, window.IsLast);
                Accumulate(residuals.AsSpan(i * w, w), accResiduals.AsSpan(i * w, w), first, window.IsLast);
            }

            // Samples before the next window's start are final; the last window emits only what was real.
            int count = window.IsLast ? window.Valid : hop;

            for (int i = 0; i < p; i++)
            {
                accTargets.AsSpan(i * w, count).CopyTo(outTargets.AsSpan(i * count, count));
                accResiduals.AsSpan(i * w, count).CopyTo(outResiduals.AsSpan(i * count, count));
            }

            sink.Write(accMixture.AsSpan(0, count), outTargets.AsSpan(0, p * count), outResiduals.AsSpan(0, p * count), count);
            emitted += count;
            progress?.Report(emitted);
            await free.WriteAsync(window.Samples, cancellationToken).ConfigureAwait(false);

            Shift(accMixture);
            for (int i = 0; i < p; i++)
            {
                Shift(accTargets.AsSpan(i * w, w));
                Shift(accResiduals.AsSpan(i * w, w));
            }

            first = false;
        }

        return emitted;
    }

    /// <summary>The engine solves across windows and writes to the sink itself (the flow family's multi-diffusion).</summary>
    private static async Task<long> SeparateSpanAsync(
        ISpanSeparation span, ChannelWriter<float[]> free, ChannelReader<Window> filled, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        long emitted = 0;
        await foreach (var window in filled.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            long now = await span.AddWindowAsync(window.Samples, window.Valid, window.IsLast, cancellationToken).ConfigureAwait(false);
            if (now != emitted)
            {
                emitted = now;
                progress?.Report(emitted);
            }

            await free.WriteAsync(window.Samples, cancellationToken).ConfigureAwait(false);
        }

        return emitted;
    }

    /// <summary>Adds one window's output into the accumulator with its crossfade weights.</summary>
    private void Accumulate(ReadOnlySpan<float> output, Span<float> acc, bool first, bool last)
    {
        int w = _options.WindowSamples;
        int hop = _options.HopSamples;
        int overlap = _options.OverlapSamples;
        int headEnd = first ? 0 : overlap;
        int tailStart = last ? w : hop;
        if (headEnd > 0)
        {
            // acc += FadeIn * output over the shared head (the previous window's faded tail is already there).
            TensorPrimitives.FusedMultiplyAdd(output[..headEnd], _crossfade.FadeIn, acc[..headEnd], acc[..headEnd]);
        }

        output[headEnd..tailStart].CopyTo(acc[headEnd..tailStart]);
        if (tailStart < w)
        {
            TensorPrimitives.Multiply(output[tailStart..w], _crossfade.FadeOut, acc[tailStart..w]);
        }
    }

    /// <summary>Moves the faded tail to the front for the next window and clears the rest.</summary>
    private void Shift(Span<float> acc)
    {
        int hop = _options.HopSamples;
        int overlap = _options.OverlapSamples;
        acc.Slice(hop, overlap).CopyTo(acc);
        acc[overlap..].Clear();
    }

    private static int ReadFully(ISampleProvider source, Span<float> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = source.Read(buffer[total..]);
            if (n <= 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }

    private readonly record struct Window(float[] Samples, int Valid, bool IsLast);
}
