using NAudio.Wave;
using SamAudio.Core.Segmentation;

namespace SamAudio.Core.Pipeline;

/// <summary>
/// Passes the selected mixture (mono, at the recording's rate) through untouched and hands a copy of every sample
/// to each subscriber: the residual outputs, which subtract the target brought back to this rate from exactly the
/// samples the resampler was fed. Sits between the channel selector and the down-sampler, on the decode thread.
/// The subscribers' queues are bounded (<see cref="Capacity"/>): decoding waits for the slowest residual writer, and
/// the queues are sized so that writer is never itself waiting for a window that decoding has yet to reach.
/// <see cref="Read"/> returns what the source returns; its end completes every subscriber.
/// </summary>
internal sealed class MixtureTap(ISampleProvider source) : ISampleProvider
{
    private readonly List<QueuedSampleSource> _subscribers = [];

    public WaveFormat WaveFormat => source.WaveFormat;

    /// <summary>
    /// A new queue of <paramref name="capacity"/> samples that receives every sample read from now on; the caller
    /// reads it to its end or completes it (a queue nobody reads holds decoding back). Subscribe before the first read.
    /// </summary>
    public QueuedSampleSource Subscribe(int capacity)
    {
        var queue = new QueuedSampleSource(source.WaveFormat.SampleRate, capacity);
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

    /// <summary>
    /// How many samples a subscriber's queue holds so decoding, when it waits for a residual writer, never waits for
    /// one that is itself waiting for the model: that writer asks for up to <see cref="SourceRateOutput.BlockFrames"/>
    /// frames of target, and the model emits a window's hop only after decoding has read the window and the next
    /// hop, through both resamplers' look-ahead and read chunks (a few thousand samples). So decoding must be able to
    /// run a window, a hop and a writer's block ahead of the writer: the queue holds two windows and a hop at the
    /// recording's rate plus 64 Ki samples, a whole window to spare. It never needs more than the span it decodes.
    /// </summary>
    public static int Capacity(SegmentationOptions segmentation, int sourceRate, int modelRate, long readFrames)
    {
        ArgumentNullException.ThrowIfNull(segmentation);
        long windows = (2L * segmentation.WindowSamples) + segmentation.HopSamples;
        long lead = ((windows * sourceRate) + modelRate - 1) / modelRate + 65_536;
        return (int)Math.Clamp(Math.Min(lead, readFrames + 1), 1, int.MaxValue);
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
