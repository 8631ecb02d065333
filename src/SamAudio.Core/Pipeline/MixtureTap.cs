using NAudio.Wave;

namespace SamAudio.Core.Pipeline;

/// <summary>
/// Passes the selected mixture (mono, at the recording's rate) through untouched and hands a copy of every sample
/// to each subscriber: the residual outputs, which subtract the target brought back to this rate from exactly the
/// samples the resampler was fed. Sits between the channel selector and the down-sampler, on the decode thread.
/// The subscribers' queues are unbounded so decoding never waits on a writer (that would deadlock against the model
/// thread); they hold at most what lies between decoding and writing, a few windows. <see cref="Read"/> returns what
/// the source returns; its end completes every subscriber.
/// </summary>
internal sealed class MixtureTap(ISampleProvider source) : ISampleProvider
{
    private readonly List<QueuedSampleSource> _subscribers = [];

    public WaveFormat WaveFormat => source.WaveFormat;

    /// <summary>
    /// A new queue that receives every sample read from now on; the caller owns it. Subscribe before the first read.
    /// </summary>
    public QueuedSampleSource Subscribe()
    {
        var queue = new QueuedSampleSource(source.WaveFormat.SampleRate, capacity: 0);
        _subscribers.Add(queue);
        return queue;
    }

    public int Read(Span<float> buffer)
    {
        int n = source.Read(buffer);
        if (n == 0)
        {
            Complete();
            return 0;
        }

        foreach (var queue in _subscribers)
        {
            queue.Add(buffer[..n]);
        }

        return n;
    }

    /// <summary>No more samples: every subscriber's reader gets its end (also when separation stopped early).</summary>
    public void Complete()
    {
        foreach (var queue in _subscribers)
        {
            queue.Complete();
        }
    }
}
