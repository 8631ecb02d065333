using System.Globalization;
using NAudio.Wave;
using NVorbis;

namespace SamAudio.Core.Audio.Decoders;

/// <summary>
/// Ogg Vorbis through NVorbis (managed). The length is the last whole page's granule position, found with our own
/// page reader (<see cref="OggPageIndex"/>), which also tells a cut or damaged file (no end-of-stream page): that
/// is read up to its last whole page, with a warning. NVorbis's own seek was measured to land tens of frames off,
/// so <see cref="SeekToFrame"/> decodes forward: from where it is when the target is ahead, else from the start
/// (exact, but linear in the distance).
/// </summary>
internal sealed class VorbisFileReader : IAudioReader
{
    private readonly string path;
    private readonly List<string> warnings;
    private readonly float[] skipBuffer;
    private VorbisReader reader;
    private long position;
    private bool ended;

    private VorbisFileReader(string path, VorbisReader reader, AudioFileInfo info, List<string> warnings)
    {
        this.path = path;
        this.reader = reader;
        this.warnings = warnings;
        Info = info;
        WaveFormat = WaveFormat.CreateIeeeFloatWaveFormat(info.SampleRate, info.Channels);
        skipBuffer = new float[4096 * info.Channels];
    }

    public AudioFileInfo Info { get; }

    public IReadOnlyList<string> Warnings => warnings;

    public WaveFormat WaveFormat { get; }

    /// <summary>Opens <paramref name="path"/>. The caller owns (disposes) the reader.</summary>
    public static VorbisFileReader Open(string path)
    {
        var name = Path.GetFileName(path);
        OggPageIndex pages;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16))
        {
            var pageReader = new OggPageReader(stream);
            if (!pageReader.TryRead(0)) throw new InvalidDataException($"'{name}' does not start with an Ogg page.");
            pages = OggPageIndex.Build(pageReader, pageReader.Serial, 0);
        }

        var reader = OpenVorbis(path);
        try
        {
            if (reader.Channels <= 0 || reader.SampleRate <= 0)
                throw new InvalidDataException($"'{path}' declares {reader.Channels} channels at {reader.SampleRate} Hz.");
            var frames = reader.TotalSamples;
            var warnings = new List<string>();
            if (!pages.EndsCleanly)
            {
                frames = Math.Min(frames, Math.Max(0, pages.LastGranule));
                warnings.Add(string.Create(CultureInfo.InvariantCulture,
                    $"'{name}' ends without its end-of-stream page (cut or damaged); it holds {frames} frames in whole pages; decoding up to the real end."));
            }

            var info = new AudioFileInfo("ogg", "vorbis", reader.SampleRate, reader.Channels, frames, []);
            return new VorbisFileReader(path, reader, info, warnings);
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    public int Read(Span<float> buffer)
    {
        var channels = Info.Channels;
        var wanted = (int)Math.Min(buffer.Length / channels, Info.Frames - position) * channels;
        if (wanted <= 0 || ended) return 0;
        var done = 0;
        while (done < wanted)
        {
            var got = reader.ReadSamples(buffer[done..wanted]);
            if (got <= 0)
            {
                ended = true;
                warnings.Add(string.Create(CultureInfo.InvariantCulture,
                    $"Ogg Vorbis stream ended at frame {position + (done / channels)} of {Info.Frames}."));
                break;
            }

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
        if (frame < position || ended)
        {
            var fresh = OpenVorbis(path);
            reader.Dispose();
            reader = fresh;
            position = 0;
            ended = false;
        }

        while (position < frame)
        {
            var chunk = (int)Math.Min(skipBuffer.Length / Info.Channels, frame - position) * Info.Channels;
            if (Read(skipBuffer.AsSpan(0, chunk)) == 0) break;
        }
    }

    public void Dispose() => reader.Dispose();

    private static VorbisReader OpenVorbis(string path)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        try
        {
            return new VorbisReader(stream, closeOnDispose: true) { ClipSamples = false };
        }
        catch (Exception e)
        {
            stream.Dispose();
            throw new InvalidDataException($"Cannot decode '{path}' as Ogg Vorbis: {e.Message}", e);
        }
    }
}
