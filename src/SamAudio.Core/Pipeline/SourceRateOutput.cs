using System.Numerics.Tensors;
using SamAudio.Core.Audio;

namespace SamAudio.Core.Pipeline;

/// <summary>
/// A prompt's outputs written at the recording's own rate: the model-rate target goes through a bounded queue (a ring
/// it owns, so nothing is allocated per window) to a thread of their own that resamples it once and writes exactly the
/// recording's frame count, while the model goes on with the next window (decode, model and write run on different
/// threads). A shard resamples its context too (so the resampler is warm at its edges) and writes only its own frames:
/// the first <c>skipFrames</c> resampled frames are dropped.
/// <para>
/// The residual, when asked for, is the <c>mixture</c> (the selected mixture at the recording's rate, from
/// <see cref="MixtureTap"/>, starting at the same frame as the model-rate stream) minus that same resampled target. Both
/// start at the stream's first frame (the resampler has no delay), so frame k of one meets frame k of the other, and
/// target + residual is the mixture to float rounding, above the model's band too; the model's own residual is not
/// used. Once it has written its frames, or failed, it completes the mixture, so decoding never waits on a queue nobody
/// reads.
/// </para>
/// </summary>
internal sealed class SourceRateOutput : IPromptOutputs
{
    /// <summary>Frames the pump resamples (and reads of the mixture) at a time.</summary>
    public const int BlockFrames = 16_384;

    private readonly QueuedSampleSource _source;
    private readonly QueuedSampleSource? _mixture;
    private readonly ISampleWriter? _target;
    private readonly ISampleWriter? _residual;
    private readonly int _rate;
    private readonly long _skip;
    private readonly long _frames;
    private readonly Task _pump;
    private Task? _completion;
    private Exception? _failure;
    private bool _abandoned;
    private bool _disposed;

    /// <summary>
    /// Writes <paramref name="frames"/> frames at <paramref name="sourceRate"/> to <paramref name="target"/> and (with
    /// <paramref name="mixture"/>, which this output then owns) to <paramref name="residual"/>, after dropping the first
    /// <paramref name="skipFrames"/>. <paramref name="queueSamples"/> model-rate samples may wait for the pump;
    /// <see cref="Write"/> waits while that many do.
    /// </summary>
    public SourceRateOutput(ISampleWriter? target, ISampleWriter? residual, int modelRate, int sourceRate, long skipFrames, long frames,
        QueuedSampleSource? mixture = null, int queueSamples = 1 << 18)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(skipFrames);
        ArgumentOutOfRangeException.ThrowIfNegative(frames);
        if (target is null && residual is null)
        {
            throw new ArgumentException("a prompt's outputs need a target or a residual to write");
        }

        if ((residual is null) != (mixture is null))
        {
            throw new ArgumentException("a residual is written from the mixture, and the mixture only for a residual", nameof(mixture));
        }

        if (mixture is not null && mixture.WaveFormat.SampleRate != sourceRate)
        {
            throw new ArgumentException($"the mixture is at {mixture.WaveFormat.SampleRate} Hz, the output at {sourceRate} Hz", nameof(mixture));
        }

        _target = target;
        _residual = residual;
        _mixture = mixture;
        _source = new QueuedSampleSource(modelRate, queueSamples);
        _rate = sourceRate;
        _skip = skipFrames;
        _frames = frames;
        Target = target is null ? null : new PromptOutputPart(this, CompleteAsync, target, _rate);
        Residual = residual is null ? null : new PromptOutputPart(this, CompleteAsync, residual, _rate);
        _pump = Task.Factory.StartNew(Pump, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    public IItemOutput? Target { get; }

    public IItemOutput? Residual { get; }

    /// <summary>Frames the pump has written so far (to the target, else the residual).</summary>
    internal long FramesWritten => (_target ?? _residual)!.FramesWritten;

    /// <summary>Takes the next target samples; the model's residual is not used (the residual is the mixture minus the target).</summary>
    public void Write(ReadOnlySpan<float> target, ReadOnlySpan<float> residual)
    {
        if (Volatile.Read(ref _failure) is { } failure)
        {
            throw new IOException($"writing an output failed: {failure.Message}", failure);
        }

        _source.Add(target);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        // Without completing, the outputs are abandoned: the pump stops instead of padding to the full length.
        _disposed = true;
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

        _target?.Dispose();
        _residual?.Dispose();
        _source.Release(); // nothing writes or reads either queue once the pump has stopped and the item is over
        _mixture?.Release();
    }

    private Task CompleteAsync()
    {
        return _completion ??= Run();

        async Task Run()
        {
            _source.Complete();
            await _pump.ConfigureAwait(false);
            if (_failure is { } failure)
            {
                throw new IOException($"writing an output failed: {failure.Message}", failure);
            }
        }
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

                // The mixture's frames in step with the resampled ones (the context's are read and dropped).
                var mix = mixture is null ? default : mixture.AsSpan(0, n);
                if (mixture is not null)
                {
                    mix[ReadFully(_mixture!, mix)..].Clear();
                }

                if (skip > 0)
                {
                    skip -= n;
                    continue;
                }

                var target = buffer.AsSpan(0, n);
                _target?.Write(target);
                if (_residual is not null)
                {
                    TensorPrimitives.Subtract(mix, target, mix);
                    _residual.Write(mix);
                }

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
