using SamAudio.Core.Audio;
using System.Globalization;
using NAudio.Wave;

namespace SamAudio.Benchmarks.Libsndfile;

/// <summary>
/// Benchmark only: the libsndfile reader the product used before its managed decoders (docs/decisions/0001-audio-decoders.md), kept to measure them against. libsndfile
/// decodes MP3 with mpg123 in gapless mode, so encoder delay and LAME padding are removed and the length is
/// the encoder's input length when the file carries a LAME/Xing tag. The declared length is checked at open by
/// reading the last declared frame; when that fails the file is truncated and the frames really present are
/// counted once (streaming, on a second handle), so <see cref="AudioFileInfo.Frames"/> is always the real count.
/// </summary>
internal sealed class SndFileReader : IAudioReader
{
    private const int TypeMask = 0x0FFF0000;
    private const int SubtypeMask = 0x0000FFFF;

    private readonly SndFileHandle handle;
    private readonly List<string> warnings;
    private long position;
    private bool failed;

    private SndFileReader(SndFileHandle handle, AudioFileInfo info, List<string> warnings)
    {
        this.handle = handle;
        this.warnings = warnings;
        Info = info;
        WaveFormat = WaveFormat.CreateIeeeFloatWaveFormat(info.SampleRate, info.Channels);
    }

    public AudioFileInfo Info { get; }

    public IReadOnlyList<string> Warnings => warnings;

    public WaveFormat WaveFormat { get; }

    public static SndFileReader Open(string path)
    {
        var handle = SndFileNative.Open(path, out var sf);
        try
        {
            if (sf.Channels <= 0 || sf.SampleRate <= 0)
                throw new InvalidDataException($"'{path}' declares {sf.Channels} channels at {sf.SampleRate} Hz.");
            var warnings = new List<string>();
            var frames = RealFrames(path, sf, warnings);
            var info = new AudioFileInfo(Container(sf.Format), Encoding(sf.Format), sf.SampleRate, sf.Channels, frames, []);
            return new SndFileReader(handle, info, warnings);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    public int Read(Span<float> buffer)
    {
        var channels = Info.Channels;
        var wanted = Math.Min(buffer.Length / channels, Info.Frames - position);
        if (wanted <= 0 || failed) return 0;
        var done = 0L;
        while (done < wanted)
        {
            var got = SndFileNative.ReadFrames(handle, buffer.Slice((int)(done * channels), (int)((wanted - done) * channels)), channels);
            if (got <= 0)
            {
                failed = true;
                warnings.Add(string.Create(CultureInfo.InvariantCulture,
                    $"Decoding stopped at frame {position + done} of {Info.Frames}: {SndFileNative.Error(handle) ?? "unexpected end"}."));
                break;
            }

            done += got;
        }

        position += done;
        return (int)(done * channels);
    }

    public IntegrityCheck VerifyIntegrity(IProgress<double>? progress = null, CancellationToken cancellationToken = default) => IntegrityCheck.None;

    public void SeekToFrame(long frame)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(frame);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(frame, Info.Frames);
        if (frame == Info.Frames)
        {
            position = frame;
            return;
        }

        if (SndFileNative.Seek(handle, frame) != frame)
            throw new IOException($"Seek to frame {frame} failed: {SndFileNative.Error(handle) ?? "unknown error"}.");
        position = frame;
        failed = false;
    }

    public void Dispose() => handle.Dispose();

    private static long RealFrames(string path, SfInfo sf, List<string> warnings)
    {
        var declared = sf.Frames;
        var one = new float[2 * sf.Channels];
        using (var probe = SndFileNative.Open(path, out _))
        {
            if (declared > 0 && SndFileNative.Seek(probe, declared - 1) == declared - 1
                && SndFileNative.ReadFrames(probe, one, sf.Channels) == 1 && SndFileNative.Error(probe) is null)
                return declared;
        }

        var real = 0L;
        var scratch = new float[8192 * sf.Channels];
        using (var counter = SndFileNative.Open(path, out _))
        {
            long got;
            while ((got = SndFileNative.ReadFrames(counter, scratch, sf.Channels)) > 0) real += got;
            if (real == 0 && SndFileNative.Error(counter) is { } error)
                throw new InvalidDataException($"Cannot decode '{path}': {error}");
        }

        if (real != declared)
        {
            var claim = declared == long.MaxValue ? "does not declare its length" : $"declares {declared} frames";
            warnings.Add(string.Create(CultureInfo.InvariantCulture,
                $"'{Path.GetFileName(path)}' {claim} but holds {real}; decoding up to the real end."));
        }
        return real;
    }

    private static string Container(int format) => (format & TypeMask) switch
    {
        0x170000 => "flac",
        0x200000 => "ogg",
        0x230000 => "mp3",
        var other => "sndfile-" + (other >> 16).ToString("x", CultureInfo.InvariantCulture),
    };

    private static string Encoding(int format) => (format & SubtypeMask) switch
    {
        0x0001 => "pcm8",
        0x0002 => "pcm16",
        0x0003 => "pcm24",
        0x0004 => "pcm32",
        0x0060 => "vorbis",
        0x0064 => "opus",
        0x0080 => "mp1",
        0x0081 => "mp2",
        0x0082 => "mp3",
        var other => "sndfile-" + other.ToString("x", CultureInfo.InvariantCulture),
    };
}
