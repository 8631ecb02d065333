using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using NAudio.Wave;

namespace SamAudio.Core.Audio.Decoders;

/// <summary>
/// Checks a WAV/BWF/RF64 file's layout and format before NAudio trusts any size in it, and again after NAudio has
/// parsed the format, so that a damaged or hostile header fails with a sentence naming the file and the problem
/// instead of an allocation as large as a size field, a division by zero or a library message. The chunk walk
/// reads only the 8-byte chunk headers (and the <c>fmt </c> body, at most <see cref="MaxFormatChunkBytes"/>) and
/// follows NAudio's own rules: it stops at the RIFF size or the end of the file, whichever comes first.
/// </summary>
internal static class WavLayoutCheck
{
    /// <summary>Lowest sample rate accepted (Hz); below it a rate is a damaged header, not a recording.</summary>
    public const int MinSampleRate = 1_000;

    /// <summary>Highest sample rate accepted (Hz): 768 kHz, the fastest rate of current recorders and converters.</summary>
    public const int MaxSampleRate = 768_000;

    /// <summary>Most channels accepted: 64 covers 7th-order ambisonics and large microphone arrays.</summary>
    public const int MaxChannels = 64;

    /// <summary>Largest <c>ds64</c> chunk accepted: 28 bytes plus a table of 12-byte entries (NAudio reads it whole).</summary>
    public const int MaxDs64ChunkBytes = 64 << 10;

    /// <summary>Largest <c>fmt </c> chunk accepted: 18 bytes plus the 100 bytes of extra format data NAudio keeps.</summary>
    public const int MaxFormatChunkBytes = 118;

    /// <summary>Walks the chunk headers of <paramref name="stream"/>; throws when NAudio could not read the file safely.</summary>
    /// <exception cref="InvalidDataException">With a sentence naming <paramref name="name"/> and the problem.</exception>
    public static void CheckLayout(Stream stream, string name)
    {
        long length = stream.Length;
        Span<byte> head = stackalloc byte[12];
        stream.Position = 0;
        if (stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false) < head.Length)
            throw Damaged(name, $"is only {length} bytes long, too short for a WAV header");
        bool rf64 = head[..4].SequenceEqual("RF64"u8);
        if (!rf64 && !head[..4].SequenceEqual("RIFF"u8))
            throw Damaged(name, $"starts with '{Id(head[..4])}', not RIFF or RF64; only WAV, BWF and RF64 files are read as WAV");
        if (!head[8..12].SequenceEqual("WAVE"u8))
            throw Damaged(name, "is a RIFF file but not a WAVE file");

        long riffSize = BinaryPrimitives.ReadUInt32LittleEndian(head[4..8]);
        long position = 12;
        if (rf64)
        {
            Span<byte> ds64 = stackalloc byte[24];
            if (stream.ReadAtLeast(ds64, ds64.Length, throwOnEndOfStream: false) < ds64.Length || !ds64[..4].SequenceEqual("ds64"u8))
                throw Damaged(name, "is an RF64 file without the 'ds64' chunk that holds its sizes");
            long ds64Size = BinaryPrimitives.ReadInt32LittleEndian(ds64[4..8]);
            if (ds64Size is < 24 or > MaxDs64ChunkBytes || ds64Size > length - 20)
                throw Damaged(name, $"has a 'ds64' chunk of {ds64Size} bytes; it must hold 24 to {MaxDs64ChunkBytes} bytes within the file");
            riffSize = BinaryPrimitives.ReadInt64LittleEndian(ds64[8..16]);
            if (BinaryPrimitives.ReadInt64LittleEndian(ds64[16..24]) < 0)
                throw Damaged(name, "declares a negative audio length in its 'ds64' chunk");
            position = 20 + ds64Size;
        }

        WalkChunks(stream, name, position, riffSize < 0 ? -1 : Math.Min(riffSize + 8, length));
    }

    /// <summary>Checks the format NAudio parsed: a supported encoding with plausible rate, channels and frame size.</summary>
    /// <returns>The encoding name recorded in provenance, for example <c>pcm24</c>.</returns>
    /// <exception cref="InvalidDataException">With a sentence naming <paramref name="name"/> and the problem.</exception>
    public static string CheckFormat(WaveFormat format, string name)
    {
        if (format.Channels is < 1 or > MaxChannels)
            throw Damaged(name, $"declares {format.Channels} channels; a recording has 1 to {MaxChannels}");
        if (format.SampleRate is < MinSampleRate or > MaxSampleRate)
            throw Damaged(name, Invariant($"declares a sample rate of {format.SampleRate} Hz; rates from {MinSampleRate} to {MaxSampleRate} Hz are read"));
        var standard = format.AsStandardWaveFormat(); // EXTENSIBLE PCM/float reports its plain equivalent
        int bits = standard.BitsPerSample;
        string encoding = standard.Encoding switch
        {
            WaveFormatEncoding.Pcm when bits is 8 or 16 or 24 or 32 => "pcm",
            WaveFormatEncoding.IeeeFloat when bits is 32 or 64 => "float",
            WaveFormatEncoding.Pcm or WaveFormatEncoding.IeeeFloat => throw Damaged(name,
                $"stores {bits}-bit {(standard.Encoding == WaveFormatEncoding.Pcm ? "PCM" : "float")} samples; supported are PCM with 8, 16, 24 or 32 bits and float with 32 or 64 bits"),
            _ => throw new InvalidDataException(
                $"'{name}' is encoded as {Describe(format.Encoding)}, which is not supported; convert it to PCM (8, 16, 24 or 32 bits) or 32/64-bit float WAV."),
        };
        int frameBytes = format.Channels * (format.BitsPerSample / 8);
        if (format.BlockAlign != frameBytes)
            throw Damaged(name, $"declares {format.BlockAlign} bytes per frame, but {format.Channels} channel(s) of {format.BitsPerSample} bits take {frameBytes}");
        return encoding + bits.ToString(CultureInfo.InvariantCulture);
    }

    private static void WalkChunks(Stream stream, string name, long position, long stop)
    {
        Span<byte> header = stackalloc byte[8];
        bool format = false, data = false;
        while (position <= stop - 8)
        {
            stream.Position = position;
            stream.ReadExactly(header);
            string id = Id(header[..4]);
            long size = BinaryPrimitives.ReadUInt32LittleEndian(header[4..8]);
            position += 8;
            if (id == "data")
            {
                data = true;
                position += size; // may run past the end: the reader clamps the data to the file and warns
            }
            else if (id == "fmt ")
            {
                if (size is < 16 or > MaxFormatChunkBytes)
                    throw Damaged(name, $"has a 'fmt ' chunk of {size} bytes; a WAV format description holds 16 to {MaxFormatChunkBytes}");
                if (size > stream.Length - position)
                    throw Damaged(name, "ends inside its 'fmt ' chunk; the file is cut");
                format = true;
                position += size == 17 ? 18 : size; // as NAudio reads it
            }
            else if (size > stream.Length - position)
            {
                if (format && data) return; // a damaged chunk after the audio: NAudio stops there, and so do we
                string before = format ? "before its audio" : "before its format and audio";
                throw Damaged(name, $"has a '{id}' chunk of {size} bytes {before}, but only {stream.Length - position} bytes follow; the file is cut or damaged");
            }
            else
            {
                position += size;
            }

            if (size % 2 == 1 && position < stream.Length && PeekByte(stream, position) == 0) position++;
        }

        if (!format) throw Damaged(name, "has no 'fmt ' chunk, so its sample format is unknown");
        if (!data) throw Damaged(name, "has no 'data' chunk, so it holds no audio");
    }

    private static int PeekByte(Stream stream, long position)
    {
        stream.Position = position;
        return stream.ReadByte();
    }

    private static InvalidDataException Damaged(string name, string problem) =>
        new($"'{name}' {problem}. The WAV header is damaged or the file is not a WAV recording.");

    private static string Describe(WaveFormatEncoding encoding) =>
        Enum.IsDefined(encoding) ? $"{encoding} (format tag 0x{(int)encoding:X4})" : $"format tag 0x{(int)encoding:X4}";

    private static string Id(ReadOnlySpan<byte> id)
    {
        var text = new StringBuilder(4);
        foreach (byte b in id) text.Append(b is >= 0x20 and < 0x7F ? (char)b : '?');
        return text.ToString();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
