using SamAudio.Core.Audio.Decoders;

namespace SamAudio.Core.Audio;

/// <summary>
/// Opens recordings for streaming decode. The format is recognised from the file's first bytes, never from its
/// extension: WAV/BWF/RF64 (NAudio); FLAC, MP3 and Ogg (libsndfile); Ogg Vorbis that libsndfile cannot open,
/// for example a cut file or a machine without libsndfile (NVorbis). Why these decoders: docs/decisions/0001-audio-decoders.md.
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
    /// <exception cref="PlatformNotSupportedException">When a FLAC/MP3 file needs libsndfile and it is not installed.</exception>
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
    public static IAudioReader OpenWav(Stream stream, string name) => GuardedAudioReader.Open(name, () => WavFileReader.Open(stream, name));

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
        Span<byte> head = stackalloc byte[SniffBytes];
        int length;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1))
        {
            length = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
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
            return head.IndexOf("\u0001vorbis"u8) >= 0 ? AudioFormat.OggVorbis : AudioFormat.SndFile;
        if (id.SequenceEqual("fLaC"u8) || head[..3].SequenceEqual("ID3"u8))
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
        SndFile,
    }
}
