using SamAudio.Core.Audio.Decoders;
using SamAudio.Core.Audio.Decoders.Flac;

namespace SamAudio.Core.Audio;

/// <summary>
/// Opens recordings for streaming decode. The format is recognised from the file's first bytes, never from its
/// extension: WAV/BWF/RF64 (NAudio), FLAC (our managed decoder, also behind an ID3v2 tag), MP3 (NLayer, gapless from
/// the LAME tag), Ogg Vorbis (NVorbis), Ogg Opus (Concentus). No native library. Why these decoders:
/// docs/decisions/0001-audio-decoders.md.
/// </summary>
public static class AudioReaders
{
    private const int SniffBytes = 64;

    /// <summary>
    /// Opens <paramref name="path"/>. The caller owns (disposes) the reader. The exception contract, for opening and
    /// for the reader's <c>Read</c> and <c>SeekToFrame</c>: bytes that cannot be decoded give an
    /// <see cref="InvalidDataException"/> naming the file (whatever the decoder underneath threw); file system
    /// failures give <see cref="IOException"/> or <see cref="UnauthorizedAccessException"/>; a seek outside
    /// [0, <c>Info.Frames</c>] gives <see cref="ArgumentOutOfRangeException"/>. Nothing else.
    /// </summary>
    /// <exception cref="FileNotFoundException">When the file does not exist.</exception>
    /// <exception cref="InvalidDataException">When the bytes are not a supported, readable recording.</exception>
    public static IAudioReader Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return GuardedAudioReader.Open(path, () => OpenDecoder(path));
    }

    /// <summary>
    /// Opens a WAV/BWF/RF64, FLAC, MP3 or Ogg Opus recording from a seekable stream the reader then owns (ranged reads
    /// of a blob: a WAV or FLAC shard reads only the header, the metadata and the frames asked for).
    /// <paramref name="name"/> names the recording in messages. Ogg Vorbis needs a path. Same exception contract as
    /// <see cref="Open(string)"/>.
    /// </summary>
    public static IAudioReader Open(Stream stream, string name)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrEmpty(name);
        return GuardedAudioReader.Open(name, () =>
        {
            try
            {
                return Sniff(stream) switch
                {
                    AudioFormat.Wav => WavFileReader.Open(stream, name),
                    AudioFormat.Flac => FlacFileReader.Open(stream, name),
                    AudioFormat.Mp3 => MpegFileReader.Open(stream, name),
                    AudioFormat.OggOpus => OpusFileReader.Open(stream, name),
                    AudioFormat.OggVorbis => throw new InvalidDataException($"'{name}' is Ogg Vorbis, which is opened from a file, not a stream."),
                    var other => throw Unsupported(name, other),
                };
            }
            catch
            {
                stream.Dispose();
                throw;
            }
        });
    }

    /// <summary>
    /// Opens a WAV/BWF/RF64 recording from a seekable stream the reader then owns (for example ranged reads of a
    /// blob, so a shard reads the header and its own frames, never the whole file). <paramref name="name"/> names
    /// the recording in messages.
    /// </summary>
    public static IAudioReader OpenWav(Stream stream, string name) => GuardedAudioReader.Open(name, () => WavFileReader.Open(stream, name));

    private static IAudioReader OpenDecoder(string path) => Sniff(path) switch
    {
        AudioFormat.Wav => WavFileReader.Open(path),
        AudioFormat.Flac => FlacFileReader.Open(path),
        AudioFormat.Mp3 => MpegFileReader.Open(path),
        AudioFormat.OggVorbis => VorbisFileReader.Open(path),
        AudioFormat.OggOpus => OpusFileReader.Open(path),
        var other => throw Unsupported(path, other),
    };

    private static InvalidDataException Unsupported(string name, AudioFormat format) => format == AudioFormat.OggFlac
        ? new InvalidDataException($"'{name}' is FLAC inside an Ogg container, which is not supported yet; convert it to plain FLAC (flac --decode then flac) or WAV.")
        : new InvalidDataException($"'{name}' is not a recognised recording (WAV/BWF/RF64, FLAC, MP3, Ogg Vorbis or Ogg Opus).");

    internal static AudioFormat Sniff(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
        return Sniff(stream);
    }

    /// <summary>Sniffs the first bytes, and after an ID3v2 tag the 4 bytes that follow it; the stream is put back at 0.</summary>
    internal static AudioFormat Sniff(Stream stream)
    {
        Span<byte> head = stackalloc byte[SniffBytes];
        stream.Position = 0;
        var length = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var format = Sniff(head[..length]);
        if (format == AudioFormat.Id3Tagged)
        {
            // An ID3v2 tag (size in 7-bit bytes, a footer when flagged) before FLAC or MPEG audio.
            stream.Position = 10 + FlacMetadata.Id3Size(head) + ((head[5] & 0x10) != 0 ? 10 : 0);
            Span<byte> after = stackalloc byte[4];
            format = stream.ReadAtLeast(after, 4, throwOnEndOfStream: false) < 4 ? AudioFormat.Unknown
                : after.SequenceEqual("fLaC"u8) ? AudioFormat.Flac
                : MpegFrameHeader.TryParse(after, out _) ? AudioFormat.Mp3
                : AudioFormat.Unknown;
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
            return OggCodec(head);
        if (id.SequenceEqual("fLaC"u8))
            return AudioFormat.Flac;
        if (head.Length >= 10 && head[..3].SequenceEqual("ID3"u8))
            return AudioFormat.Id3Tagged;
        if (MpegFrameHeader.TryParse(head, out _)) // MPEG audio frame sync and a valid header (a FLAC frame's is not)
            return AudioFormat.Mp3;
        return AudioFormat.Unknown;
    }

    /// <summary>The codec of an Ogg stream, from its first packet (on the first page, after the segment table).</summary>
    private static AudioFormat OggCodec(ReadOnlySpan<byte> head)
    {
        if (head.Length < 28 || head.Length < 27 + head[26]) return AudioFormat.Unknown;
        var packet = head[(27 + head[26])..];
        if (packet.StartsWith("\u0001vorbis"u8)) return AudioFormat.OggVorbis;
        if (packet.StartsWith("OpusHead"u8)) return AudioFormat.OggOpus;
        if (packet.StartsWith("\u007FFLAC"u8)) return AudioFormat.OggFlac;
        return AudioFormat.Unknown;
    }

    internal enum AudioFormat
    {
        Unknown,
        Wav,
        Flac,
        Mp3,
        OggVorbis,
        OggOpus,
        OggFlac,

        /// <summary>An ID3v2 tag: FLAC or MP3 follows it (only <see cref="Sniff(Stream)"/> looks past it).</summary>
        Id3Tagged,
    }
}
