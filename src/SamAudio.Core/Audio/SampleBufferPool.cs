namespace SamAudio.Core.Audio;

/// <summary>
/// Float buffers of exact lengths handed from one item to the next: the windows, accumulators, rings and resampler
/// planes of an item are the same sizes as the last item's, a few hundred kilobytes each, so on the large-object heap.
/// Allocated afresh they piled up there item after item (about 14 MiB per ten-second item), and a batch of 200 spent
/// 5 s of its 13 in the full collections that kept its working set flat. A rented buffer is zeroed and exactly as long
/// as asked; it must be returned once, when nothing reads or writes it any more. At most
/// <see cref="MaxRetainedBytes"/> wait here: past that, the lengths used least recently are let go first, so a batch
/// whose items change shape keeps the buffers of the shapes it is using.
/// </summary>
/// <remarks>
/// Not <see cref="System.Buffers.ArrayPool{T}"/>: it rounds lengths up to powers of two (160,000 samples become 262,144)
/// and hands out stale contents, where the data path sizes rings and windows by their arrays' lengths and expects zeros.
/// A lock, not lock-free collections: an item rents and returns a few dozen buffers in all, never per window.
/// </remarks>
internal static class SampleBufferPool
{
    /// <summary>Bytes of returned buffers kept for reuse at most.</summary>
    public const long MaxRetainedBytes = 64L << 20;

    private static readonly object Gate = new();
    private static readonly Dictionary<int, Shelf> Shelves = [];
    private static long retainedBytes;
    private static long clock;

    /// <summary>Bytes allocated by <see cref="Rent"/> because no buffer of the length was waiting (for tests and measurements).</summary>
    public static long AllocatedBytes => Interlocked.Read(ref allocatedBytes);

    private static long allocatedBytes;

    /// <summary>A zeroed buffer of exactly <paramref name="length"/> samples.</summary>
    public static float[] Rent(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        float[]? buffer = null;
        lock (Gate)
        {
            if (length > 0 && Shelves.TryGetValue(length, out var shelf) && shelf.Buffers.TryPop(out buffer))
            {
                retainedBytes -= Bytes(buffer);
                shelf.LastUsed = ++clock;
            }
        }

        if (buffer is null)
        {
            Interlocked.Add(ref allocatedBytes, (long)length * sizeof(float));
            return new float[length];
        }

        Array.Clear(buffer);
        return buffer;
    }

    /// <summary>Gives <paramref name="buffer"/> back for a later <see cref="Rent"/>; the caller must not touch it again.</summary>
    public static void Return(float[]? buffer)
    {
        if (buffer is null || buffer.Length == 0)
        {
            return;
        }

        lock (Gate)
        {
            if (!Shelves.TryGetValue(buffer.Length, out var shelf))
            {
                Shelves[buffer.Length] = shelf = new Shelf();
            }

            shelf.Buffers.Push(buffer);
            shelf.LastUsed = ++clock;
            retainedBytes += Bytes(buffer);
            while (retainedBytes > MaxRetainedBytes)
            {
                var oldest = Shelves.Values.Where(s => s != shelf && s.Buffers.Count > 0).MinBy(s => s.LastUsed);
                var from = oldest ?? shelf; // only this length is left: let the newest buffer go
                retainedBytes -= Bytes(from.Buffers.Pop());
            }
        }
    }

    private static long Bytes(float[] buffer) => (long)buffer.Length * sizeof(float);

    private sealed class Shelf
    {
        public Stack<float[]> Buffers { get; } = new();

        public long LastUsed { get; set; }
    }
}
