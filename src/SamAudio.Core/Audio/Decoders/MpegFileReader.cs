using System.Globalization;
using NAudio.Wave;
using NLayer;

namespace SamAudio.Core.Audio.Decoders;

/// <summary>
/// MP3 (MPEG-1/2/2.5 audio, layers I-III) through NLayer's frame decoder (managed). We walk the frame headers at
/// open (<see cref="MpegFrameIndex"/>) and read the LAME tag ourselves, so the output is gapless: with a tag it has
/// exactly the encoder's input length and timeline (encoder delay, NLayer's own <see cref="DecoderDelay"/> and the
/// padding removed); without one it is every decoded sample, untrimmed. <see cref="SeekToFrame"/> starts a fresh
/// decoder a few frames before the target (bit reservoir, then <see cref="PreRollFrames"/>) and gives the samples
/// a decode from the start gives (tested to the bit).
/// </summary>
internal sealed class MpegFileReader : IAudioReader
{
    /// <summary>Samples NLayer's synthesis delays its output by, measured (docs/decisions/0001-audio-decoders.md); as mpg123.</summary>
    public const int DecoderDelay = 529;

    /// <summary>
    /// Frames decoded and dropped before a seek target once the bit reservoir is covered (IMDCT overlap and
    /// synthesis filterbank history): 2 was measured as the least that gives a decode from the start bit for bit
    /// (CBR 32-320 kb/s, VBR -V9, MPEG-1 and -2), 3 for margin.
    /// </summary>
    public const int PreRollFrames = 3;

    private readonly Stream stream;
    private readonly MpegFrameIndex index;
    private readonly MpegFrameBits frame = new();
    private readonly float[] decoded = new float[2 * 1152];
    private readonly List<string> warnings = [];
    private readonly long skip;
    private MpegFrameDecoder decoder = new();
    private int nextFrame;
    private int decodedCount;
    private int decodedPosition;
    private long position;

    private MpegFileReader(Stream stream, MpegFrameIndex index, string name)
    {
        this.stream = stream;
        this.index = index;
        var first = index.First;
        var samplesPerFrame = first.SampleCount;
        var available = (long)index.Count * samplesPerFrame;
        long frames;
        if (index.Tag is { Delay: >= 0 } tag)
        {
            skip = tag.Delay + DecoderDelay;
            var declared = ((long)tag.Frames * samplesPerFrame) - tag.Delay - tag.Padding;
            frames = Math.Max(0, Math.Min(declared, available - skip));
            if (frames < declared)
                warnings.Add(string.Create(CultureInfo.InvariantCulture,
                    $"'{name}' declares {declared} frames but holds {frames}; decoding up to the real end."));
        }
        else
        {
            frames = available;
            if (index.Tag is { Frames: > 0 } counted && counted.Frames > index.Count)
                warnings.Add(string.Create(CultureInfo.InvariantCulture,
                    $"'{name}' declares {(long)counted.Frames * samplesPerFrame} frames but holds {frames}; decoding up to the real end."));
        }

        if (index.EndsInsideFrame && warnings.Count == 0)
            warnings.Add(string.Create(CultureInfo.InvariantCulture,
                $"'{name}' ends inside an MPEG frame; it holds {frames} frames in whole MPEG frames; decoding up to the real end."));
        Info = new AudioFileInfo("mp3", first.Layer == 3 ? "mp3" : first.Layer == 2 ? "mp2" : "mp1",
            first.SampleRate, first.Channels, frames, []);
        WaveFormat = WaveFormat.CreateIeeeFloatWaveFormat(first.SampleRate, first.Channels);
        SeekToFrame(0);
    }

    public AudioFileInfo Info { get; }

    public IReadOnlyList<string> Warnings => warnings;

    public WaveFormat WaveFormat { get; }

    /// <summary>Opens <paramref name="path"/>. The caller owns (disposes) the reader.</summary>
    public static MpegFileReader Open(string path) =>
        Open(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 12), Path.GetFileName(path));

    /// <summary>Opens a seekable <paramref name="stream"/> the reader then owns; <paramref name="name"/> names it in messages.</summary>
    public static MpegFileReader Open(Stream stream, string name)
    {
        try
        {
            if (!stream.CanSeek) throw new ArgumentException("The stream must be seekable.", nameof(stream));
            return new MpegFileReader(stream, MpegFrameIndex.Build(stream, name), name);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    public int Read(Span<float> buffer)
    {
        var channels = Info.Channels;
        var wanted = (int)Math.Min(buffer.Length / channels, Info.Frames - position) * channels;
        var done = 0;
        while (done < wanted)
        {
            if (decodedPosition == decodedCount && !DecodeNextFrame()) break;
            var count = Math.Min(wanted - done, decodedCount - decodedPosition);
            decoded.AsSpan(decodedPosition, count).CopyTo(buffer[done..]);
            decodedPosition += count;
            done += count;
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
        var samplesPerFrame = index.First.SampleCount;
        var target = frame + skip; // in the decoded stream
        var targetFrame = (int)Math.Min(target / samplesPerFrame, index.Count);
        decoder = new MpegFrameDecoder();
        nextFrame = PreRollStart(targetFrame);
        decodedCount = decodedPosition = 0;
        while (nextFrame < targetFrame) DecodeNextFrame();
        decodedCount = decodedPosition = 0;
        if (DecodeNextFrame()) decodedPosition = (int)(target - ((long)targetFrame * samplesPerFrame)) * Info.Channels;
        position = frame;
    }

    public void Dispose() => stream.Dispose();

    /// <summary>
    /// The frame to start a fresh decoder at so that <paramref name="target"/> decodes as from the start:
    /// <see cref="PreRollFrames"/> before it, and before those enough frames to hold the largest bit reservoir a
    /// layer III frame may reach back into (511 bytes in MPEG-1, 255 in MPEG-2/2.5).
    /// </summary>
    private int PreRollStart(int target)
    {
        var first = index.First;
        var start = Math.Max(0, target - PreRollFrames);
        var reservoir = first.Layer != 3 ? 0 : first.VersionCode == 3 ? 511 : 255;
        var overhead = 4 + first.SideInfoLength;
        for (var bytes = 0; start > 0 && bytes < reservoir; start--)
            bytes += (int)(index.Offset(start) - index.Offset(start - 1)) - overhead;
        return start;
    }

    private bool DecodeNextFrame()
    {
        if (nextFrame >= index.Count) return false;
        frame.Load(stream, index.Offset(nextFrame++));
        var count = decoder.DecodeFrame(frame, decoded.AsSpan());
        // A frame NLayer cannot decode (a damaged one) still stands for its samples: silence keeps the timeline.
        decodedCount = count == 0 ? frame.SampleCount * Info.Channels : count;
        if (count == 0) Array.Clear(decoded, 0, decodedCount);
        decodedPosition = 0;
        return true;
    }
}
