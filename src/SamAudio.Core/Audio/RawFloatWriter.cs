using System.Runtime.InteropServices;

namespace SamAudio.Core.Audio;

/// <summary>
/// Writes mono samples as bare 32-bit little-endian floats, exactly the bytes a <see cref="WavOutputWriter"/> puts in
/// its data chunk, to a file that appears under its name only when complete. A shard's piece of an output is such a
/// file; the pieces and a header from <see cref="WavHeader"/> make the same file as one local run.
/// </summary>
public sealed class RawFloatWriter : ISampleWriter
{
    private readonly FileStream _stream;
    private readonly string _partialPath;
    private bool _completed;
    private bool _disposed;

    public RawFloatWriter(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        _partialPath = Path + ".partial";
        _stream = new FileStream(_partialPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
    }

    public string Path { get; }

    public long FramesWritten { get; private set; }

    public long ClippedSamples { get; private set; }

    public void Write(ReadOnlySpan<float> samples)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_completed)
        {
            throw new InvalidOperationException("The output is complete; nothing more can be written.");
        }

        foreach (var sample in samples)
        {
            if (Math.Abs(sample) > 1f)
            {
                ClippedSamples++;
            }
        }

        _stream.Write(MemoryMarshal.AsBytes(samples)); // little-endian on every .NET target we run on
        FramesWritten += samples.Length;
    }

    public void Complete()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_completed)
        {
            return;
        }

        _stream.Flush(flushToDisk: true);
        _stream.Dispose();
        File.Move(_partialPath, Path, overwrite: true);
        _completed = true;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_completed)
        {
            _stream.Dispose();
            File.Delete(_partialPath);
        }
    }
}
