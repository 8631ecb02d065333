using System.Runtime.InteropServices;

namespace SamAudio.Inference.Runtime;

/// <summary>
/// A pinned float buffer whose first element sits on a 64-byte boundary, for tensors handed to ONNX Runtime.
/// Some CPU kernels split their reductions by the address of the data, so a tensor that lands at a different
/// alignment from one run to the next (wherever the garbage collector put the array) gives different last bits.
/// Fixing the alignment makes the model's output depend on the values alone.
/// </summary>
internal sealed class AlignedBuffer
{
    private const int Alignment = 64;
    private readonly float[] _array;
    private readonly int _offset;

    public AlignedBuffer(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        int slack = Alignment / sizeof(float);
        _array = GC.AllocateArray<float>(length + slack, pinned: true);
        var handle = GCHandle.Alloc(_array, GCHandleType.Pinned);
        try
        {
            long address = handle.AddrOfPinnedObject().ToInt64();
            _offset = (int)((Alignment - (address % Alignment)) % Alignment) / sizeof(float);
        }
        finally
        {
            handle.Free();
        }

        Length = length;
    }

    public int Length { get; }

    /// <summary>The aligned elements; the array is pinned for its whole life, so the memory never moves.</summary>
    public Memory<float> Memory => _array.AsMemory(_offset, Length);

    public Span<float> Span => _array.AsSpan(_offset, Length);
}
