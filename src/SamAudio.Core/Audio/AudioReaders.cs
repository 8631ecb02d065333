using SamAudio.Core.Audio.Decoders;
using SamAudio.Core.Audio.Decoders.Flac;

namespace SamAudio.Core.Audio;

/// <summary>
/// Opens recordings for streaming decode. The format is recognised from the file's first bytes, never from its
/// extension: WAV/BWF/RF64 (NAudio); FLAC (managed, also behind an ID3v2 tag); MP3 and Ogg (libsndfile); Ogg Vorbis that libsndfile cannot open,
/// for example a cut file or a machine without libsndfile (NVorbis). Why these decoders: docs/decisions/0001-audio-decoders.md.
/// </summary>
public static class AudioReaders
{
    private const int SniffBytes = 64;

    /// <summary>Opens <paramref name="path"/>. The caller owns (disposes) the reader.</summary>
    /// <exception cref="FileNotFoundException">When the file does not exist.</exception>
    /// <exception cref="InvalidDataException">When the bytes are not a supported, readable recording.</exception>
    /// <exception cref="PlatformNotSupportedException">When an MP3 or Ogg file needs libsndfile and it is not installed.</exception>
    public static IAudioReader Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Sniff(path) switch
        {
            AudioFormat.Wav => WavFileReader.Open(path),
            AudioFormat.Flac => FlacFileReader.Open(path),
            AudioFormat.OggVorbis => OpenOggVorbis(path),
            AudioFormat.SndFile => SndFileReader.Open(path),
            _ => throw new InvalidDataException(
                $"'{path}' is not a recognised recording (WAV/BWF/RF64, FLAC, MP3 or Ogg Vorbis)."),
        };
    }

    /// <summary>
    /// Opens a WAV/BWF/RF64 recording from a seekable stream the reader then owns (for example ranged reads of a
    /// blob, so a shard reads the header and its own frames, never the whole file). <paramref name="name"/> names
    /// the recording in messages.
    /// </summary>
    public static IAudioReader OpenWav(Stream stream, string name) => WavFileReader.Open(stream, name);

    /// <summary>
    /// Opens a WAV/BWF/RF64 or FLAC recording from a seekable stream the reader then owns (ranged reads of a blob:
    /// only the header, the metadata and the frames asked for are read). <paramref name="name"/> names the
    /// recording in messages. MP3 and Ogg need a path.
    /// </summary>
    /// <exception cref="InvalidDataException">When the bytes are not a readable WAV or FLAC recording.</exception>
    public static IAudioReader Open(Stream stream, string name)
    {
        ArgumentNullException.ThrowIfNull(stream);
        AudioFormat format;
        try
        {
            format = Sniff(stream);
        }
        catch
        {
            stream.Dispose();
            throw;
        }

        switch (format)
        {
            case AudioFormat.Wav: return WavFileReader.Open(stream, name);
            case AudioFormat.Flac: return FlacFileReader.Open(stream, name);
            default:
                stream.Dispose();
                throw new InvalidDataException($"'{name}' is not a WAV/BWF/RF64 or FLAC recording (MP3 and Ogg are opened from a path).");
        }
    }

    private static IAudioReader OpenOggVorbis(string path)
    {
        try
        {
            return SndFileReader.Open(path);
        }
        catch (Exception e) when (e is InvalidDataException or PlatformNotSupportedException)
        {
            return VorbisFileReader.Open(path, e.Message);
        }
    }

    internal static AudioFormat Sniff(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
        return Sniff(stream);
    }

    /// <summary>Sniffs the first bytes, and for an ID3v2 tag the 4 bytes after it; the stream is put back at 0.</summary>
    internal static AudioFormat Sniff(Stream stream)
    {
        Span<byte> head = stackalloc byte[SniffBytes];
        stream.Position = 0;
        var length = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var format = Sniff(head[..length]);
        if (format == AudioFormat.SndFile && length >= 10 && head[..3].SequenceEqual("ID3"u8))
        {
            stream.Position = 10 + FlacMetadata.Id3Size(head) + ((head[5] & 0x10) != 0 ? 10 : 0);
            Span<byte> marker = stackalloc byte[4];
            if (stream.ReadAtLeast(marker, 4, throwOnEndOfStream: false) == 4 && marker.SequenceEqual("fLaC"u8))
                format = AudioFormat.Flac;
        }

        stream.Position = 0;
        return format;
    }

    internal static AudioFormat Sniff(ReadOnlySpan<byte> head)
    {
        if (head.Length < 4) return AudioFormat.Unknown;
        var id = head[..4];
        if ((id.SequenceEqual("RIFF"u8) || id.SequenceEqual("RF64"u8) || id.SequenceEqual("BW64"u8))
            && head.Length >= 12 && head[8..12].SequenceEqual("WAVE"u8))
            return AudioFormat.Wav;
        if (id.SequenceEqual("OggS"u8))
            return head.IndexOf("\u0001vorbis"u8) >= 0 ? AudioFormat.OggVorbis : AudioFormat.SndFile;
        if (id.SequenceEqual("fLaC"u8))
            return AudioFormat.Flac;
        if (head[..3].SequenceEqual("ID3"u8)) // MP3 usually; FLAC when the tag is followed by fLaC (see above)
            return AudioFormat.SndFile;
        if (head[0] == 0xFF && (head[1] & 0xE0) == 0xE0) // MPEG audio frame sync
            return AudioFormat.SndFile;
        return AudioFormat.Unknown;
    }

    internal enum AudioFormat
    {
        Unknown,
        Wav,
        OggVorbis,
        Flac,
        SndFile,
    }
}
