using System.Runtime.InteropServices;
using SamAudio.Inference.Runtime;

namespace SamAudio.Inference.Tests.Runtime;

public sealed class AlignedBufferTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(80_000)]
    public void Buffer_starts_on_a_64_byte_boundary_and_has_the_asked_length(int length)
    {
        for (int i = 0; i < 20; i++)
        {
            _ = new byte[i * 8]; // move the allocator along so the buffers land at different addresses
            var buffer = new AlignedBuffer(length);

            Assert.True(MemoryMarshal.TryGetArray<float>(buffer.Memory, out var segment));
            var handle = GCHandle.Alloc(segment.Array, GCHandleType.Pinned);
            long address = handle.AddrOfPinnedObject().ToInt64() + (segment.Offset * sizeof(float));
            handle.Free();

            Assert.Equal(0, address % 64);
            Assert.Equal(length, buffer.Span.Length);
            Assert.Equal(length, buffer.Memory.Length);
        }
    }
}
