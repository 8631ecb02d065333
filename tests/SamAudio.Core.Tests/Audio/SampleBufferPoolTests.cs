using SamAudio.Core.Audio;
using SamAudio.Core.Tests.Pipeline;

namespace SamAudio.Core.Tests.Audio;

/// <summary>The pool is process-wide, so these run beside no other test (<see cref="AllocationMeasurements"/>).</summary>
[Collection(nameof(AllocationMeasurements))]
public sealed class SampleBufferPoolTests
{
    [Fact]
    public void A_returned_buffer_comes_back_zeroed_and_exactly_as_long()
    {
        var first = SampleBufferPool.Rent(123_457);
        first.AsSpan().Fill(0.5f);
        SampleBufferPool.Return(first);

        long allocated = SampleBufferPool.AllocatedBytes;
        var again = SampleBufferPool.Rent(123_457);
        Assert.Same(first, again);
        Assert.Equal(123_457, again.Length);
        Assert.All(again, s => Assert.Equal(0f, s));
        Assert.Equal(allocated, SampleBufferPool.AllocatedBytes);

        var other = SampleBufferPool.Rent(123_456); // another length is never served by it
        Assert.NotSame(first, other);
        SampleBufferPool.Return(again);
        SampleBufferPool.Return(other);
    }

    [Fact]
    public void Past_the_limit_the_lengths_used_least_recently_go_first()
    {
        // Two shapes of 40 MiB and 30 MiB: together past the 64 MiB kept, so the older one is let go.
        int older = (int)((40L << 20) / sizeof(float)) + 1, newer = (int)((30L << 20) / sizeof(float)) + 3;
        var a = SampleBufferPool.Rent(older);
        var b = SampleBufferPool.Rent(newer);
        SampleBufferPool.Return(a);
        SampleBufferPool.Return(b);

        Assert.Same(b, SampleBufferPool.Rent(newer));
        long allocated = SampleBufferPool.AllocatedBytes;
        Assert.NotSame(a, SampleBufferPool.Rent(older));
        Assert.Equal(allocated + ((long)older * sizeof(float)), SampleBufferPool.AllocatedBytes);
    }

    [Fact]
    public void A_buffer_larger_than_the_limit_is_not_kept()
    {
        int length = (int)(SampleBufferPool.MaxRetainedBytes / sizeof(float)) + 5;
        var huge = SampleBufferPool.Rent(length);
        SampleBufferPool.Return(huge);
        Assert.NotSame(huge, SampleBufferPool.Rent(length));
    }
}
