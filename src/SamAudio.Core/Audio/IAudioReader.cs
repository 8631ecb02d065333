using NAudio.Wave;

namespace SamAudio.Core.Audio;

/// <summary>
/// A recording decoded as a stream of interleaved 32-bit float samples (NAudio's
/// <see cref="ISampleProvider"/>: <c>Read</c> returns the number of samples written, 0 only at the end).
/// Never holds the whole file in memory.
/// </summary>
public interface IAudioReader : ISampleProvider, IDisposable
{
    /// <summary>What the file is: container, encoding, rate, channels, length and metadata chunks.</summary>
    AudioFileInfo Info { get; }

    /// <summary>Problems met while reading (for example a declared length past the real end).</summary>
    IReadOnlyList<string> Warnings { get; }

    /// <summary>Moves to <paramref name="frame"/> (samples per channel from the start).</summary>
    void SeekToFrame(long frame);

    /// <summary>
    /// Checks the decoded audio against the integrity data the file itself carries (FLAC: the STREAMINFO MD5),
    /// decoding the whole stream on a second pass unless this reader already decoded all of it in order. The read
    /// position is kept. Formats without such data return <see cref="IntegrityCheck.None"/>.
    /// </summary>
    /// <param name="progress">Fraction (0 to 1) of the second pass done; not reported when no pass is needed.</param>
    /// <param name="cancellationToken">Stops the second pass.</param>
    /// <exception cref="InvalidDataException">When the audio does not match the stored integrity data.</exception>
    IntegrityCheck VerifyIntegrity(IProgress<double>? progress = null, CancellationToken cancellationToken = default);
}

/// <summary>The outcome of <see cref="IAudioReader.VerifyIntegrity"/>, recorded in <c>run.json</c>.</summary>
/// <param name="Method"><c>none</c> (the format carries no integrity data) or <c>flac-md5</c>.</param>
/// <param name="Result">
/// <c>verified</c> (the decoded audio matches), <c>absent</c> (the format has a place for it but the encoder left it
/// empty), <c>incomplete</c> (the file holds fewer frames than the stored data covers: it was cut, which is already
/// a warning) or <c>none</c>. A mismatch is never a result: it throws.
/// </param>
public sealed record IntegrityCheck(string Method, string Result)
{
    public static IntegrityCheck None { get; } = new("none", "none");
}

/// <summary>Facts about a recording, recorded in provenance.</summary>
/// <param name="Container"><c>wav</c>, <c>rf64</c>, <c>flac</c>, <c>mp3</c> or <c>ogg</c>.</param>
/// <param name="Encoding">Sample encoding, for example <c>pcm16</c>, <c>pcm24</c>, <c>float32</c>, <c>vorbis</c>.</param>
/// <param name="SampleRate">Frames per second.</param>
/// <param name="Channels">Channel count.</param>
/// <param name="Frames">Frames the file holds; for a truncated file, the frames really present.</param>
/// <param name="MetadataChunks">RIFF chunks carried unchanged into WAV outputs (bext, iXML, guan, LIST).</param>
public sealed record AudioFileInfo(
    string Container,
    string Encoding,
    int SampleRate,
    int Channels,
    long Frames,
    IReadOnlyList<MetadataChunk> MetadataChunks);

/// <summary>A RIFF chunk copied byte for byte from an input into outputs.</summary>
/// <param name="Id">Four-character chunk id, for example <c>bext</c>.</param>
/// <param name="Data">The chunk body without its header.</param>
public sealed record MetadataChunk(string Id, byte[] Data);
