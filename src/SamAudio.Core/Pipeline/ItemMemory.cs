namespace SamAudio.Core.Pipeline;

/// <summary>
/// Gives back what one item (a batch item, a worker's shard) left on the large-object heap: its read buffers,
/// resampler and writer rings, megabytes per item. The collector sizes its large-object budget by what survived its
/// last collection, and a model's load makes that hundreds of megabytes, so those buffers otherwise piled up item
/// after item (20 ten-second batch items peaked at 504 MiB with one collection in all; a worker crept from 385 to 523
/// MiB over six 10-minute shards). One compacting collection per item keeps the working set flat in the number of
/// items; with a heap of a few megabytes it costs milliseconds.
/// </summary>
public static class ItemMemory
{
    /// <summary>A blocking, compacting collection of every generation, the large-object heap included.</summary>
    public static void Release()
    {
        System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
    }
}
