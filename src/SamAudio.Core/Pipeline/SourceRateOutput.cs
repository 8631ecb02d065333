using SamAudio.Core.Audio;

namespace SamAudio.Core.Pipeline;

/// <summary>
/// An output written at the recording's own rate: the model-rate samples go through a bounded queue to a
/// thread of their own that resamples them and writes exactly the recording's frame count, while the model
/// goes on with the next window (decode, model and write run on different threads). A shard resamples its
/// context too (so the resampler is warm at its edges) and writes only its own frames: the first
/// <c>skipFrames</c> resampled frames are dropped.
/// </summary>
internal sealed class SourceRateOutput : IItemOutput
{
    private readonly QueuedSampleSource _source;
    private readonly ISampleWriter _writer;
    private readonly int _rate;
    private readonly long _skip;
    private readonly long _frames;
    private readonly Task _pump;
    private Exception? _failure;
    private bool _abandoned;

    public SourceRateOutput(ISampleWriter writer, int modelRate, int sourceRate, long skipFrames, long frames)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentOutOfRangeException.ThrowIfNegative(skipFrames);
        ArgumentOutOfRangeException.ThrowIfNegative(frames);
        _writer = writer;
        _source = new QueuedSampleSource(modelRate);
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
        try
        {
            _pump.Wait();
        }
        catch (AggregateException)
        {
            // The pump records its own failure; disposing only has to make sure it has stopped.
        }

        _writer.Dispose();
        _source.Dispose();
    }

    private void Pump()
    {
        var buffer = new float[16_384];
        var resampled = new Resampler(_source, _rate);
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

        // Drain whatever is still queued (rounding surplus, or everything after a failure) so the writer of the
        // queue is never left waiting on a full queue.
        while (_source.Read(buffer) > 0)
        {
        }
    }
}
