namespace SamAudio.Core.Pipeline;

/// <summary>
/// Keeps a long batch's (or a worker's) working set flat in its number of items. An item's large buffers (windows,
/// rings, resampler planes) are reused from <see cref="Audio.SampleBufferPool"/>, so what one leaves behind is small
/// and short-lived (about 1.4 MiB per ten-second item): a gen0 collection at each item's end returns it before the
/// collector's own gen0 budget lets the heap grow to tens of megabytes (peak of 200 ten-second items: 333 MiB without,
/// 264-275 MiB with). Once <see cref="FullCollectionBytes"/> have been allocated since the last one, an item ends with
/// a full compacting collection instead, for whatever did reach the large-object heap: the collector sizes that heap's
/// budget by what survived its last collection, and a model's load makes that hundreds of megabytes.
/// </summary>
/// <remarks>
/// Before the pool, a full compacting collection ended every item: 4.5-25 ms each, 5 s of a 13 s batch of 200 items.
/// </remarks>
public static class ItemMemory
{
    /// <summary>Bytes allocated since the last full collection past which an item ends with another.</summary>
    public const long FullCollectionBytes = 64L << 20;

    private static long allocatedAtFullCollection;

    /// <summary>A gen0 collection, or a blocking, compacting collection of every generation (the large-object heap included) when it is due.</summary>
    public static void Release()
    {
        long allocated = GC.GetTotalAllocatedBytes(precise: false);
        if (allocated - Interlocked.Read(ref allocatedAtFullCollection) < FullCollectionBytes)
        {
            GC.Collect(0, GCCollectionMode.Forced, blocking: true);
            return;
        }

        Interlocked.Exchange(ref allocatedAtFullCollection, allocated);
        System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
    }
}
