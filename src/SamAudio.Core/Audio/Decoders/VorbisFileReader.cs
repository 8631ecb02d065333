using System.Globalization;
using NAudio.Wave;
using NVorbis;

namespace SamAudio.Core.Audio.Decoders;

/// <summary>
/// Ogg Vorbis through NVorbis (managed). Ogg carries no declared length: NVorbis takes the length from the
/// granule position of the last page present, so a cut file is read up to its real end. Seeking uses NVorbis's
/// page bisection and is sample-exact.
/// </summary>
internal sealed class VorbisFileReader : IAudioReader
{
    private readonly VorbisReader reader;
    private readonly List<string> warnings = [];
    private long position;
    private bool ended;

    private VorbisFileReader(VorbisReader reader, AudioFileInfo info)
    {
        this.reader = reader;
        Info = info;
        WaveFormat = WaveFormat.CreateIeeeFloatWaveFormat(info.SampleRate, info.Channels);
    }

    public AudioFileInfo Info { get; }

    public IReadOnlyList<string> Warnings => warnings;

    public WaveFormat WaveFormat { get; }

    public static VorbisFileReader Open(string path)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        VorbisReader? reader = null;
        try
        {
            reader = new VorbisReader(stream, closeOnDispose: true);
            if (reader.Channels <= 0 || reader.SampleRate <= 0)
                throw new InvalidDataException($"'{path}' declares {reader.Channels} channels at {reader.SampleRate} Hz.");
            reader.ClipSamples = false;
            var info = new AudioFileInfo("ogg", "vorbis", reader.SampleRate, reader.Channels, reader.TotalSamples, []);
            return new VorbisFileReader(reader, info);
        }
        catch (Exception e)
        {
            if (reader is null) stream.Dispose();
            else reader.Dispose();
            if (e is InvalidDataException) throw;
            throw new InvalidDataException($"Cannot decode '{path}' as Ogg Vorbis: {e.Message}", e);
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
                    $"Ogg Vorbis stream ended at frame {position + done / channels} of {Info.Frames}."));
                break;
            }

            done += got;
        }

        position += done / channels;
        return done;
    }

    public void SeekToFrame(long frame)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(frame);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(frame, Info.Frames);
        reader.SeekTo(frame);
        position = frame;
        ended = false;
    }

    public void Dispose() => reader.Dispose();
}
