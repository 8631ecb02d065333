using SamAudio.Core.Pipeline;
using SamAudio.Core.Tests.Audio;

namespace SamAudio.Core.Tests.Pipeline;

public sealed class MixtureTapTests
{
    [Fact]
    public void Read_passes_samples_through_and_every_subscriber_gets_them_then_its_end()
    {
        var samples = Enumerable.Range(0, 10_007).Select(i => (float)Math.Sin(i * 0.01)).ToArray();
        var tap = new MixtureTap(new ArraySampleProvider(samples, 44_100, maxPerRead: 999));
        var first = tap.Subscribe(capacity: 16_384); // holds the whole signal: this test reads the queues afterwards
        var second = tap.Subscribe(capacity: 16_384);

        float[] passed = AudioTestKit.ReadAll(tap, 1234);

        Assert.Equal(samples, passed);
        Assert.Equal(samples, AudioTestKit.ReadAll(first, 777)); // returns at the end: the tap's end completed the queue
        Assert.Equal(samples, AudioTestKit.ReadAll(second, 4096));
        Assert.Equal(44_100, first.WaveFormat.SampleRate);
    }

    [Fact]
    public void Samples_after_a_subscriber_is_completed_are_dropped_not_thrown()
    {
        var tap = new MixtureTap(new ArraySampleProvider(new float[5_000], 16_000, maxPerRead: 1_000));
        var queue = tap.Subscribe(capacity: 1_000);
        queue.Complete(); // an abandoned residual output

        Assert.Equal(5_000, AudioTestKit.ReadAll(tap).Length);
        Assert.Equal(0, queue.Read(new float[16]));
    }
}
