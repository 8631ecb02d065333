namespace SamAudio.Core.Audio;

/// <summary>
/// Where one mono float output goes, in timeline order: a whole WAV file (<see cref="WavOutputWriter"/>) or the bare
/// data of a piece of one (<see cref="RawFloatWriter"/>, for a shard whose pieces are joined in storage).
/// </summary>
public interface ISampleWriter : IDisposable
{
    /// <summary>Frames written so far.</summary>
    long FramesWritten { get; }

    /// <summary>Samples beyond full scale (|x| &gt; 1) written so far; kept as they are, only counted.</summary>
    long ClippedSamples { get; }

    /// <summary>Appends <paramref name="samples"/>; the span is only read during the call.</summary>
    void Write(ReadOnlySpan<float> samples);

    /// <summary>Finishes the output and makes it visible; nothing more can be written.</summary>
    void Complete();

    /// <summary>
    /// After <see cref="Complete"/>, the finished file's SHA-256 (lower-case hex) where the writer hashed it as it wrote
    /// it; null where it did not (then whoever records the file reads it to hash it).
    /// </summary>
    string? Sha256 => null;
}
