using System.Runtime.InteropServices;
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
/// </summary>
public sealed class WavOutputWriter : ISampleWriter
{
    private readonly FileStream stream;
    private readonly WaveFileWriter writer;
    private readonly string partialPath;
    private readonly byte[] staging = new byte[1 << 16]; // our own buffer: FileStream's allocates when it flushes
    private int staged;
    private bool completed;
    private bool disposed;

    private WavOutputWriter(string path, FileStream stream, WaveFileWriter writer, string partialPath)
    {
        Path = path;
        this.stream = stream;
        this.writer = writer;
        this.partialPath = partialPath;
    }

    /// <summary>The final path, which exists only after <see cref="Complete"/>.</summary>
    public string Path { get; }

    /// <summary>Samples (= frames, mono) written so far.</summary>
    public long FramesWritten { get; private set; }

    /// <summary>Samples written with |x| &gt; 1: stored as they are (float WAV), counted for the run report.</summary>
    public long ClippedSamples { get; private set; }

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
        writer.Dispose(); // writes the sizes; the stream stays ours
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
        if (completed) return;
        try
        {
            writer.Dispose();
        }
        catch (IOException)
        {
            // The partial file is deleted below anyway.
        }
        finally
        {
            stream.Dispose();
            File.Delete(partialPath);
        }
    }

    private void FlushStaging()
    {
        writer.Write(staging.AsSpan(0, staged));
        staged = 0;
    }

    private static void Validate(MetadataChunk chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        if (chunk.Id.Length != 4 || !chunk.Id.All(c => c is >= ' ' and <= '~'))
            throw new ArgumentException($"Chunk id '{chunk.Id}' must be four printable ASCII characters.", nameof(chunk));
        if (chunk.Id is "fmt " or "data" or "ds64" or "RIFF" or "RF64" or "fact" or "JUNK")
            throw new ArgumentException($"Chunk '{chunk.Id}' describes the file's layout and is written by the writer itself.", nameof(chunk));
    }
}
