using System.Numerics.Tensors;
using SamAudio.Core.Audio;

namespace SamAudio.Core.Pipeline;

/// <summary>
/// An output written at the recording's own rate: the model-rate samples go through a bounded queue (a ring it owns,
/// so nothing is allocated per window) to a thread of their own that resamples them and writes exactly the recording's
/// frame count, while the model goes on with the next window (decode, model and write run on different threads). A shard resamples its
/// context too (so the resampler is warm at its edges) and writes only its own frames: the first
/// <c>skipFrames</c> resampled frames are dropped.
/// <para>
/// With a <c>mixture</c> (the selected mixture at the recording's rate, from <see cref="MixtureTap"/>, starting at the
/// same frame as the model-rate stream) it writes the residual: the mixture minus the resampled stream, which is
/// then the target. Both start at the stream's first frame (the resampler has no delay), so frame k of one meets
/// frame k of the other, and target + residual is the mixture to float rounding, above the model's band too. Once
/// it has written its frames, or failed, it completes the mixture, so decoding never waits on a queue nobody reads.
/// </para>
/// </summary>
internal sealed class SourceRateOutput : IItemOutput
{
    /// <summary>Frames the pump resamples (and reads of the mixture) at a time.</summary>
    public const int BlockFrames = 16_384;

    private readonly QueuedSampleSource _source;
    private readonly QueuedSampleSource? _mixture;
    private readonly ISampleWriter _writer;
    private readonly int _rate;
    private readonly long _skip;
    private readonly long _frames;
    private readonly Task _pump;
    private Exception? _failure;
    private bool _abandoned;

    /// <summary>
    /// Writes <paramref name="frames"/> frames at <paramref name="sourceRate"/> to <paramref name="writer"/> after
    /// dropping the first <paramref name="skipFrames"/>; <paramref name="mixture"/> (for a residual, which this output
    /// then owns) is what the resampled stream is subtracted from. <paramref name="queueSamples"/> model-rate samples
    /// may wait for the pump; <see cref="Write"/> waits while that many do.
    /// </summary>
    public SourceRateOutput(ISampleWriter writer, int modelRate, int sourceRate, long skipFrames, long frames, QueuedSampleSource? mixture = null, int queueSamples = 1 << 18)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentOutOfRangeException.ThrowIfNegative(skipFrames);
        ArgumentOutOfRangeException.ThrowIfNegative(frames);
        if (mixture is not null && mixture.WaveFormat.SampleRate != sourceRate)
        {
            throw new ArgumentException($"the mixture is at {mixture.WaveFormat.SampleRate} Hz, the output at {sourceRate} Hz", nameof(mixture));
        }

        _writer = writer;
        _mixture = mixture;
        _source = new QueuedSampleSource(modelRate, queueSamples);
        _rate = sourceRate;
        _skip = skipFrames;
        _frames = frames;
        _pump = Task.Factory.StartNew(Pump, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>Frames the pump has written so far.</summary>
    internal long FramesWritten => _writer.FramesWritten;

    public void Write(ReadOnlySpan<float> samples)
    {
        if (Volatile.Read(ref _failure) is { } failure)
        {
            throw new IOException($"writing an output failed: {failure.Message}", failure);
        }

        _source.Add(samples);
    }

    public async Task<WrittenAudio> CompleteAsync(CancellationToken cancellationToken = default)
    {
        _source.Complete();
        await _pump.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (_failure is { } failure)
        {
            throw new IOException($"writing an output failed: {failure.Message}", failure);
        }

        _writer.Complete();
        return new WrittenAudio(_writer.FramesWritten, _writer.ClippedSamples, _rate);
    }

    public void Dispose()
    {
        // Without CompleteAsync the output is abandoned: the pump stops instead of padding to the full length.
        Volatile.Write(ref _abandoned, true);
        _source.Complete();
        _mixture?.Complete();
        try
        {
            _pump.Wait();
        }
        catch (AggregateException)
        {
            // The pump records its own failure; disposing only has to make sure it has stopped.
        }

        _writer.Dispose();
        _source.Release(); // nothing writes or reads either queue once the pump has stopped and the item is over
        _mixture?.Release();
    }

    private void Pump()
    {
        var buffer = new float[BlockFrames];
        var mixture = _mixture is null ? null : new float[buffer.Length];
        using var resampled = new Resampler(_source, _rate);
        try
        {
            for (long skip = _skip, remaining = _frames; remaining > 0 && !Volatile.Read(ref _abandoned);)
            {
                int want = (int)Math.Min(buffer.Length, skip > 0 ? skip : remaining);
                int n = resampled.Read(buffer.AsSpan(0, want));
                if (n == 0)
                {
                    // Rounding at the two rate changes can leave the last sample or two short: pad to the exact length.
                    buffer.AsSpan(0, want).Clear();
                    n = want;
                }

                if (mixture is not null)
                {
                    // The mixture's frames in step with the resampled ones (the context's are read and dropped).
                    var mix = mixture.AsSpan(0, n);
                    mix[ReadFully(_mixture!, mix)..].Clear();
                    if (skip <= 0)
                    {
                        TensorPrimitives.Subtract(mix, buffer.AsSpan(0, n), buffer.AsSpan(0, n));
                    }
                }

                if (skip > 0)
                {
                    skip -= n;
                    continue;
                }

                _writer.Write(buffer.AsSpan(0, n));
                remaining -= n;
            }
        }
        catch (Exception ex)
        {
            // A thread boundary: the failure is handed to the model thread by Write and CompleteAsync.
            Volatile.Write(ref _failure, ex);
        }

        // Nothing more is read from the mixture (a shard's context after its end, or everything after a failure):
        // decoding must not wait for room in its queue. Drain whatever target is still queued (rounding surplus, or
        // everything after a failure) so the writer of the queue is never left waiting on a full queue.
        _mixture?.Complete();
        while (_source.Read(buffer) > 0)
        {
        }
    }

    private static int ReadFully(QueuedSampleSource source, Span<float> buffer)
    {
        int total = 0;
        for (int n; total < buffer.Length && (n = source.Read(buffer[total..])) > 0;)
        {
            total += n;
        }

        return total;
    }
}
