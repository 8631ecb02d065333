using System.Runtime.InteropServices;
using System.Security.Cryptography;
using NAudio.Wave;

namespace SamAudio.Core.Audio;

/// <summary>
/// Writes a mono 32-bit float WAV through NAudio's <see cref="WaveFileWriter"/>. The input's metadata chunks
/// (bext, iXML, guan, LIST, ...) are written byte for byte, in their order, between <c>fmt </c> and <c>data</c>,
/// where BWF readers expect <c>bext</c>. A 28-byte <c>JUNK</c> chunk after the RIFF header is reserved, so a file
/// whose data outgrows 4 GB becomes RF64 (<c>ds64</c> sizes) when it is completed; smaller files stay plain RIFF.
/// Samples go to <c>&lt;path&gt;.partial</c>; <see cref="Complete"/> finishes the header, flushes to disk and
/// renames it to the final path (replacing an older file). Disposing without <see cref="Complete"/> deletes the
/// partial file, so a reader never sees a half-written output under its final name. Samples are staged in
/// 64 KB blocks, so <see cref="Write"/> allocates nothing.
/// <para>
/// Where the length is announced (<see cref="CreateOfLength(string, int, IReadOnlyList{MetadataChunk}, long)"/>), the finished
/// header (<see cref="WavHeader"/>, the same bytes NAudio's writer ends with) is written first and every byte is hashed
/// as it goes out, so <see cref="Sha256"/> is known at <see cref="Complete"/> without reading the file back: for a
/// 30-minute 48 kHz output that read was 345 MB after the separation had ended.
/// </para>
/// <para>
/// Every <see cref="BackgroundSyncBytes"/> written, what is in the file so far is flushed to disk on a thread-pool
/// thread while samples keep coming, so <see cref="Complete"/> waits only for the last stretch: flushing a 345 MB
/// output at the end took 0.4 s after the separation, with the disk idle until then.
/// </para>
/// </summary>
public sealed class WavOutputWriter : ISampleWriter
{
    private readonly FileStream stream;
    private readonly WaveFileWriter? writer; // null where the length was announced: the header is already final
    private readonly IncrementalHash? hash; // of every byte written, where the length was announced
    private readonly long announcedFrames;
    private readonly string partialPath;
    private readonly byte[] staging = new byte[1 << 16]; // our own buffer: FileStream's allocates when it flushes
    private int staged;
    private bool completed;
    private bool disposed;
    private long unsynced; // bytes handed to the file since the last background flush started
    private Task? syncing; // a background flush to disk of what was written before it started

    private WavOutputWriter(string path, FileStream stream, WaveFileWriter? writer, string partialPath, IncrementalHash? hash = null, long announcedFrames = -1)
    {
        Path = path;
        this.stream = stream;
        this.writer = writer;
        this.partialPath = partialPath;
        this.hash = hash;
        this.announcedFrames = announcedFrames;
    }

    /// <summary>Bytes written between background flushes to disk (and the least a file must have for one).</summary>
    public const long BackgroundSyncBytes = 32L << 20;

    /// <summary>The final path, which exists only after <see cref="Complete"/>.</summary>
    public string Path { get; }

    /// <summary>Samples (= frames, mono) written so far.</summary>
    public long FramesWritten { get; private set; }

    /// <summary>Samples written with |x| &gt; 1: stored as they are (float WAV), counted for the run report.</summary>
    public long ClippedSamples { get; private set; }

    /// <summary>
    /// The finished file's SHA-256 (lower-case hex), hashed as it was written: set by <see cref="Complete"/> where the
    /// length was announced, null otherwise (then the file has to be read to hash it).
    /// </summary>
    public string? Sha256 { get; private set; }

    /// <summary>Starts writing <paramref name="path"/> (through <c>path.partial</c>), creating its folder.</summary>
    /// <exception cref="ArgumentException">When a chunk id is not four ASCII characters or is a layout chunk.</exception>
    public static WavOutputWriter Create(string path, int sampleRate, IReadOnlyList<MetadataChunk> chunks) =>
        Create(path, sampleRate, chunks, uint.MaxValue);

    /// <summary>As <see cref="Create(string, int, IReadOnlyList{MetadataChunk})"/> with a lower RF64 switch-over
    /// (in bytes of file or data size), so tests can exercise RF64 without writing 4 GB.</summary>
    internal static WavOutputWriter Create(string path, int sampleRate, IReadOnlyList<MetadataChunk> chunks, long rf64ThresholdBytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        ArgumentNullException.ThrowIfNull(chunks);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rf64ThresholdBytes);
        foreach (var chunk in chunks) Validate(chunk);

        var full = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        var partial = full + ".partial";
        var stream = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 0);
        try
        {
            var options = new WaveFileWriterOptions { EnableRf64 = true, Rf64PromotionThreshold = rf64ThresholdBytes };
            var writer = new WaveFileWriter(stream, WaveFormat.CreateIeeeFloatWaveFormat(sampleRate, 1), options);
            foreach (var chunk in chunks) writer.AddChunk(chunk.Id, chunk.Data, ChunkPosition.BeforeData);
            return new WavOutputWriter(full, stream, writer, partial);
        }
        catch
        {
            stream.Dispose();
            File.Delete(partial);
            throw;
        }
    }

    /// <summary>
    /// Starts writing <paramref name="path"/> (through <c>path.partial</c>) whose length is known before the first sample:
    /// exactly <paramref name="frames"/> frames must be written, or <see cref="Complete"/> refuses the file. The header
    /// goes out finished and the file is hashed as it is written (<see cref="Sha256"/>).
    /// </summary>
    /// <exception cref="ArgumentException">When a chunk id is not four ASCII characters or is a layout chunk.</exception>
    public static WavOutputWriter CreateOfLength(string path, int sampleRate, IReadOnlyList<MetadataChunk> chunks, long frames) =>
        CreateOfLength(path, sampleRate, chunks, frames, uint.MaxValue);

    /// <summary>As <see cref="CreateOfLength(string, int, IReadOnlyList{MetadataChunk}, long)"/> with a lower RF64 switch-over, for tests.</summary>
    internal static WavOutputWriter CreateOfLength(string path, int sampleRate, IReadOnlyList<MetadataChunk> chunks, long frames, long rf64ThresholdBytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfNegative(frames);
        ArgumentNullException.ThrowIfNull(chunks);
        foreach (var chunk in chunks) Validate(chunk);
        var header = WavHeader.Build(sampleRate, frames, chunks, rf64ThresholdBytes);
        var full = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        var partial = full + ".partial";
        var stream = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 0);
        var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        try
        {
            stream.Write(header);
            hash.AppendData(header);
            return new WavOutputWriter(full, stream, null, partial, hash, frames);
        }
        catch
        {
            hash.Dispose();
            stream.Dispose();
            File.Delete(partial);
            throw;
        }
    }

    /// <summary>Appends mono samples.</summary>
    public void Write(ReadOnlySpan<float> samples)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (completed) throw new InvalidOperationException("The output is complete; nothing more can be written.");
        var clipped = 0;
        foreach (var sample in samples)
        {
            if (Math.Abs(sample) > 1f) clipped++;
        }

        var bytes = MemoryMarshal.AsBytes(samples); // WAV is little-endian, like every .NET target we run on
        if (writer is null && staged == 0 && bytes.Length >= staging.Length)
        {
            // Whole blocks straight out: no copy through the staging buffer.
            Emit(bytes);
            bytes = [];
        }

        while (!bytes.IsEmpty)
        {
            var n = Math.Min(bytes.Length, staging.Length - staged);
            bytes[..n].CopyTo(staging.AsSpan(staged));
            staged += n;
            bytes = bytes[n..];
            if (staged == staging.Length) FlushStaging();
        }

        FramesWritten += samples.Length;
        ClippedSamples += clipped;
    }

    /// <summary>Finishes the header (RIFF or RF64), flushes to disk and moves the file to <see cref="Path"/>.</summary>
    public void Complete()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (completed) return;
        FlushStaging();
        if (writer is null)
        {
            if (FramesWritten != announcedFrames)
            {
                throw new InvalidOperationException($"'{System.IO.Path.GetFileName(Path)}' was announced with {announcedFrames} frames, but {FramesWritten} were written; the file is not kept.");
            }

            Sha256 = Convert.ToHexStringLower(hash!.GetHashAndReset());
        }
        else
        {
            writer.Dispose(); // writes the sizes; the stream stays ours
        }

        syncing?.GetAwaiter().GetResult(); // a failed background flush fails the output
        stream.Flush(flushToDisk: true);
        stream.Dispose();
        File.Move(partialPath, Path, overwrite: true);
        completed = true;
    }

    /// <summary>Closes the file; an output not completed is deleted.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        hash?.Dispose();
        if (completed) return;
        try
        {
            writer?.Dispose();
        }
        catch (IOException)
        {
            // The partial file is deleted below anyway.
        }
        finally
        {
            try
            {
                syncing?.Wait();
            }
            catch (AggregateException)
            {
                // The file is deleted anyway.
            }

            stream.Dispose();
            File.Delete(partialPath);
        }
    }

    private void FlushStaging()
    {
        if (writer is null)
        {
            Emit(staging.AsSpan(0, staged));
        }
        else
        {
            writer.Write(staging.AsSpan(0, staged));
            Handed(staged);
        }

        staged = 0;
    }

    /// <summary>Data bytes of a file whose header is already final: to the file and into its hash.</summary>
    private void Emit(ReadOnlySpan<byte> bytes)
    {
        stream.Write(bytes);
        hash!.AppendData(bytes);
        Handed(bytes.Length);
    }

    /// <summary>Counts bytes handed to the file; past <see cref="BackgroundSyncBytes"/> starts a flush to disk unless one still runs.</summary>
    private void Handed(int bytes)
    {
        unsynced += bytes;
        if (unsynced < BackgroundSyncBytes || syncing is { IsCompleted: false })
        {
            return;
        }

        syncing?.GetAwaiter().GetResult(); // a failed background flush fails the output now
        unsynced = 0;
        syncing = StartFlushToDisk(stream.SafeFileHandle);
    }

    // Its own method: a lambda capturing the handle above would allocate its closure on every call, not only here.
    private static Task StartFlushToDisk(Microsoft.Win32.SafeHandles.SafeFileHandle handle) => Task.Run(() => RandomAccess.FlushToDisk(handle));

    private static void Validate(MetadataChunk chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        if (chunk.Id.Length != 4 || !chunk.Id.All(c => c is >= ' ' and <= '~'))
            throw new ArgumentException($"Chunk id '{chunk.Id}' must be four printable ASCII characters.", nameof(chunk));
        if (chunk.Id is "fmt " or "data" or "ds64" or "RIFF" or "RF64" or "fact" or "JUNK")
            throw new ArgumentException($"Chunk '{chunk.Id}' describes the file's layout and is written by the writer itself.", nameof(chunk));
    }
}
