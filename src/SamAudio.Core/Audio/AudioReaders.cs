using SamAudio.Core.Audio.Decoders;

namespace SamAudio.Core.Audio;

/// <summary>
/// Opens recordings for streaming decode. The format is recognised from the file's first bytes, never from its
/// extension: WAV/BWF/RF64 (NAudio), MP3 (NLayer, gapless from the LAME tag), Ogg Vorbis (NVorbis), Ogg Opus
/// (Concentus); FLAC waits for the managed FLAC decoder. No native library. Why these decoders: docs/decisions/0001-audio-decoders.md.
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
    /// <exception cref="PlatformNotSupportedException">When the file is FLAC (until the managed FLAC decoder is merged).</exception>
    public static IAudioReader Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return GuardedAudioReader.Open(path, () => OpenDecoder(path));
    }

    private static IAudioReader OpenDecoder(string path)
    {
        return Sniff(path) switch
        {
            AudioFormat.Wav => WavFileReader.Open(path),
            AudioFormat.Mp3 => MpegFileReader.Open(path),
            AudioFormat.OggVorbis => VorbisFileReader.Open(path),
            AudioFormat.OggOpus => OpusFileReader.Open(path),
            AudioFormat.OggFlac => throw new InvalidDataException($"'{path}' is Ogg FLAC: Ogg FLAC not yet supported."),
            AudioFormat.SndFile => throw new PlatformNotSupportedException($"'{path}' is FLAC: libsndfile was removed and the managed FLAC decoder is not merged yet."),
            _ => throw new InvalidDataException(
                $"'{path}' is not a recognised recording (WAV/BWF/RF64, FLAC, MP3, Ogg Vorbis or Ogg Opus)."),
        };
    }

    /// <summary>
    /// Opens a WAV/BWF/RF64 recording from a seekable stream the reader then owns (for example ranged reads of a
    /// blob, so a shard reads the header and its own frames, never the whole file). <paramref name="name"/> names
    /// the recording in messages.
    /// </summary>
    public static IAudioReader OpenWav(Stream stream, string name) => GuardedAudioReader.Open(name, () => WavFileReader.Open(stream, name));

    internal static AudioFormat Sniff(string path)
    {
        Span<byte> head = stackalloc byte[SniffBytes];
        int length;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1))
        {
            length = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            if (length >= 10 && head[..3].SequenceEqual("ID3"u8))
            {
                // An ID3v2 tag (size in 7-bit bytes) before MPEG audio frames.
                stream.Position = 10 + ((head[6] << 21) | (head[7] << 14) | (head[8] << 7) | head[9]) + ((head[5] & 0x10) != 0 ? 10 : 0);
                Span<byte> after = stackalloc byte[4];
                if (stream.ReadAtLeast(after, 4, throwOnEndOfStream: false) == 4 && MpegFrameHeader.TryParse(after, out _))
                    return AudioFormat.Mp3;
            }
        }

        return Sniff(head[..length]);
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
        if (id.SequenceEqual("fLaC"u8) || head[..3].SequenceEqual("ID3"u8))
            return AudioFormat.SndFile;
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
        Mp3,
        OggVorbis,
        OggOpus,
        OggFlac,
        SndFile,
    }
}
