using System.Buffers.Binary;
using System.Globalization;
using NAudio.Wave;

namespace SamAudio.Core.Audio.Decoders;

/// <summary>
/// WAV, BWF and RF64 through NAudio's <see cref="WaveFileReader"/> (which walks the chunks, reads the RF64
/// <c>ds64</c> sizes and parses WAVE_FORMAT_EXTENSIBLE) and its PCM/float sample converters. NAudio silently
/// clamps a RIFF data chunk that runs past the end of the file and does not clamp an RF64 one, so this class
/// reads the declared size itself (a 4-byte peek, no chunk walk of our own), reads only the frames really present,
/// and reports the difference as a warning.
/// </summary>
internal sealed class WavFileReader : IAudioReader
{
    /// <summary>Chunks that describe the file's own layout or padding; never carried into outputs.</summary>
    private static readonly HashSet<string> StructuralChunks = new(StringComparer.Ordinal)
    {
        "fmt ", "data", "ds64", "fact", "JUNK", "junk", "PAD ", "FLLR", "r64m",
    };

    /// <summary>Metadata carried into outputs, all chunks together; larger chunks are skipped with a warning.</summary>
    private const int MaxMetadataChunkBytes = 16 << 20;

    private readonly Stream stream;
    private readonly WaveFileReader wave;
    private readonly ISampleProvider samples;
    private readonly int blockAlign;
    private long position;

    private WavFileReader(Stream stream, WaveFileReader wave, AudioFileInfo info, IReadOnlyList<string> warnings)
    {
        this.stream = stream;
        this.wave = wave;
        samples = wave.ToSampleProvider(); // PCM 8-32 bit, IEEE float 32/64, EXTENSIBLE of either
        blockAlign = wave.WaveFormat.BlockAlign;
        Info = info;
        Warnings = warnings;
        WaveFormat = WaveFormat.CreateIeeeFloatWaveFormat(info.SampleRate, info.Channels);
    }

    public AudioFileInfo Info { get; }

    public IReadOnlyList<string> Warnings { get; }

    public WaveFormat WaveFormat { get; }

    public static WavFileReader Open(string path) =>
        Open(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16), path);

    /// <summary>
    /// Reads a WAV from any seekable stream (for example ranged reads of a blob), which the reader then owns.
    /// Only the header, the chunks and the frames asked for are read. <paramref name="name"/> is for messages.
    /// </summary>
    public static WavFileReader Open(Stream stream, string name)
    {
        ArgumentNullException.ThrowIfNull(stream);
        string path = name;
        WaveFileReader? wave = null;
        try
        {
            WavLayoutCheck.CheckLayout(stream, path); // before NAudio trusts any size in the header
            stream.Position = 0;
            wave = new WaveFileReader(stream);
            var format = wave.WaveFormat;
            var encoding = WavLayoutCheck.CheckFormat(format, path);
            var warnings = new List<string>();
            var dataStart = stream.Position; // NAudio leaves the stream at the first data byte.
            var declared = DeclaredDataBytes(stream, dataStart, wave.Length);
            var available = Math.Min(declared, stream.Length - dataStart);
            var frames = available / format.BlockAlign;
            if (declared != available)
            {
                warnings.Add(string.Create(CultureInfo.InvariantCulture,
                    $"'{Path.GetFileName(path)}' declares {declared / format.BlockAlign} frames but holds {frames}; decoding up to the real end."));
            }

            var chunks = MetadataChunks(wave, path, warnings);
            wave.Position = 0;
            var container = IsRf64(stream) ? "rf64" : "wav";
            var info = new AudioFileInfo(container, encoding, format.SampleRate, format.Channels, frames, chunks);
            return new WavFileReader(stream, wave, info, warnings);
        }
        catch (Exception e)
        {
            wave?.Dispose();
            stream.Dispose();
            if ((e is InvalidDataException && e.Message.Contains(path, StringComparison.Ordinal)) || (e is IOException and not EndOfStreamException)) throw;
            throw new InvalidDataException(e is EndOfStreamException
                ? $"'{path}' ends inside its WAV header; the file is cut or damaged."
                : $"'{path}' could not be read as WAV; the header is damaged ({e.Message}).", e);
        }
    }

    public int Read(Span<float> buffer)
    {
        var channels = Info.Channels;
        var wanted = (int)Math.Min(buffer.Length / channels, Info.Frames - position) * channels;
        var done = 0;
        while (done < wanted)
        {
            var got = samples.Read(buffer[done..wanted]);
            if (got <= 0) break;
            done += got;
        }

        position += done / channels;
        return done;
    }

    /// <summary>This format carries no integrity data of its own: <see cref="IntegrityCheck.None"/>.</summary>
    public IntegrityCheck VerifyIntegrity(IProgress<double>? progress = null, CancellationToken cancellationToken = default) => IntegrityCheck.None;

    public void SeekToFrame(long frame)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(frame);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(frame, Info.Frames);
        wave.Position = frame * blockAlign;
        position = frame;
    }

    public void Dispose()
    {
        wave.Dispose(); // A WaveFileReader built over a stream leaves the stream open.
        stream.Dispose();
    }

    private static long DeclaredDataBytes(Stream stream, long dataStart, long naudioLength)
    {
        if (IsRf64(stream)) return naudioLength; // ds64 size, which NAudio does not clamp.
        Span<byte> size = stackalloc byte[4];
        stream.Position = dataStart - 4;
        stream.ReadExactly(size);
        return BinaryPrimitives.ReadUInt32LittleEndian(size);
    }

    private static bool IsRf64(Stream stream)
    {
        Span<byte> id = stackalloc byte[4];
        var saved = stream.Position;
        stream.Position = 0;
        stream.ReadExactly(id);
        stream.Position = saved;
        return id.SequenceEqual("RF64"u8);
    }

    private static List<MetadataChunk> MetadataChunks(WaveFileReader wave, string name, List<string> warnings)
    {
        var chunks = new List<MetadataChunk>();
        long total = 0;
        foreach (var chunk in wave.Chunks)
        {
            var id = chunk.IdentifierAsString;
            if (StructuralChunks.Contains(id)) continue;
            if (id.Length != 4 || !id.All(c => c is >= ' ' and <= '~') || id is "RIFF" or "RF64")
            {
                warnings.Add($"'{Path.GetFileName(name)}' holds a chunk whose name is not four printable characters; it is not copied into the outputs.");
                continue;
            }

            if (chunk.Length > MaxMetadataChunkBytes - total)
            {
                warnings.Add(string.Create(CultureInfo.InvariantCulture,
                    $"'{Path.GetFileName(name)}': metadata chunk '{id}' ({chunk.Length} bytes) would take the metadata past {MaxMetadataChunkBytes >> 20} MiB and is not copied into the outputs."));
                continue;
            }

            total += chunk.Length;
            chunks.Add(new MetadataChunk(id, wave.Chunks.GetData(chunk)));
        }

        return chunks;
    }
}
