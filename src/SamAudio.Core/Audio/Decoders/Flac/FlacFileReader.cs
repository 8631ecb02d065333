using System.Globalization;
using NAudio.Wave;

namespace SamAudio.Core.Audio.Decoders.Flac;

/// <summary>
/// Native FLAC decoded in managed code, bit-exact with the reference decoder, streaming from a seekable stream
/// (a file or ranged reads of a blob; never the whole file in memory). At open the end of the stream is checked
/// by locating and decoding the last declared frame; a file that is cut or does not declare its length is read to
/// its last whole frame, with a warning. Seeking is exact. The STREAMINFO MD5 is checked by
/// <see cref="VerifyIntegrity"/>, for free when the stream was read in order from the start.
/// </summary>
internal sealed class FlacFileReader : IAudioReader
{
    private readonly Stream stream;
    private readonly string name;
    private readonly FlacMetadata metadata;
    private readonly FlacBitReader input;
    private readonly FlacFrameDecoder decoder;
    private readonly FlacFrameLocator locator;
    private readonly FlacMd5? md5;
    private readonly List<string> warnings;
    private readonly float scale;
    private long position;      // next frame Read returns
    private long frameFirst;    // first sample of the decoded frame
    private int frameLength;    // samples in the decoded frame (0: none)
    private long nextSample;    // first sample of the next frame to decode
    private long nextOffset;    // byte offset of the next frame to decode
    private bool inOrder;       // every frame from the first was decoded in order (the MD5 is running)

    private FlacFileReader(Stream stream, string name, FlacMetadata metadata, AudioFileInfo info, List<string> warnings)
    {
        this.stream = stream;
        this.name = name;
        this.metadata = metadata;
        this.warnings = warnings;
        var streamInfo = metadata.StreamInfo;
        input = new FlacBitReader(stream);
        decoder = new FlacFrameDecoder(streamInfo);
        locator = new FlacFrameLocator(input, decoder, metadata, stream.Length);
        md5 = streamInfo.HasMd5 ? new FlacMd5(streamInfo) : null;
        scale = 1f / (1L << (streamInfo.BitsPerSample - 1));
        Info = info;
        WaveFormat = WaveFormat.CreateIeeeFloatWaveFormat(info.SampleRate, info.Channels);
        Rewind();
    }

    public AudioFileInfo Info { get; }

    public IReadOnlyList<string> Warnings => warnings;

    public WaveFormat WaveFormat { get; }

    public static FlacFileReader Open(string path) =>
        Open(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1), path);

    /// <summary>Reads FLAC from a seekable stream, which the reader then owns. <paramref name="name"/> is for messages.</summary>
    public static FlacFileReader Open(Stream stream, string name)
    {
        ArgumentNullException.ThrowIfNull(stream);
        try
        {
            var metadata = FlacMetadata.Read(stream, name);
            var s = metadata.StreamInfo;
            var warnings = new List<string>();
            var frames = FlacLength.RealFrames(stream, metadata, name, warnings);
            var info = new AudioFileInfo("flac", "pcm" + s.BitsPerSample.ToString(CultureInfo.InvariantCulture), s.SampleRate, s.Channels, frames, []);
            return new FlacFileReader(stream, name, metadata, info, warnings);
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
        var wanted = (int)Math.Min(buffer.Length / channels, Info.Frames - position);
        var done = 0;
        while (done < wanted)
        {
            var cursor = (int)(position - frameFirst);
            if (cursor >= frameLength)
            {
                DecodeNext();
                continue;
            }

            var count = Math.Min(frameLength - cursor, wanted - done);
            Interleave(buffer.Slice(done * channels, count * channels), cursor, count);
            done += count;
            position += count;
        }

        return done * channels;
    }

    public void SeekToFrame(long frame)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(frame);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(frame, Info.Frames);
        if (frame == 0)
        {
            Rewind();
            return;
        }

        inOrder = false;
        position = frame;
        if (frame == Info.Frames || (frame >= frameFirst && frame < frameFirst + frameLength)) return;
        if (frame < nextSample || frame - nextSample > 4L * metadata.StreamInfo.MaxBlockSize)
        {
            var (offset, sample) = locator.Locate(frame, useSeekTable: true);
            nextOffset = offset;
            nextSample = frameFirst = sample;
            frameLength = 0;
        }

        input.Seek(nextOffset);
        while (frame >= frameFirst + frameLength) DecodeNext();
    }

    public IntegrityCheck VerifyIntegrity(IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        var s = metadata.StreamInfo;
        if (md5 is null) return new IntegrityCheck("flac-md5", "absent");
        if (s.TotalSamples > 0 && Info.Frames < s.TotalSamples) return new IntegrityCheck("flac-md5", "incomplete");
        if (inOrder && md5.Samples == Info.Frames)
            return Checked(md5);

        using var pass = new FlacMd5(s);
        var passInput = new FlacBitReader(stream);
        var passDecoder = new FlacFrameDecoder(s);
        passInput.Seek(metadata.AudioOffset);
        input.Invalidate();
        try
        {
            for (var frame = 0; pass.Samples < Info.Frames; frame++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                DecodeOrThrow(passDecoder, passInput, pass.Samples);
                pass.Append(passDecoder);
                if (frame % 256 == 0) progress?.Report(pass.Samples / (double)Info.Frames);
            }
        }
        finally
        {
            input.Seek(nextOffset);
        }

        progress?.Report(1);
        return Checked(pass);
    }

    public void Dispose()
    {
        md5?.Dispose();
        stream.Dispose();
    }

    private IntegrityCheck Checked(FlacMd5 hash) => hash.Matches(metadata.StreamInfo.Md5)
        ? new IntegrityCheck("flac-md5", "verified")
        : throw new InvalidDataException(
            $"'{name}': its audio does not match the MD5 its encoder stored: the file was altered or damaged after encoding.");

    private void Rewind()
    {
        md5?.Reset();
        inOrder = true;
        position = frameFirst = nextSample = 0;
        frameLength = 0;
        nextOffset = metadata.AudioOffset;
        input.Seek(nextOffset);
    }

    private void DecodeNext()
    {
        DecodeOrThrow(decoder, input, nextSample);
        frameFirst = nextSample;
        frameLength = decoder.Header.BlockSize;
        nextSample += frameLength;
        nextOffset = input.BytePosition;
        if (inOrder) md5?.Append(decoder);
    }

    /// <summary>Decodes the frame expected to start at <paramref name="sample"/>, or throws with the file and time.</summary>
    private void DecodeOrThrow(FlacFrameDecoder frames, FlacBitReader from, long sample)
    {
        string problem;
        try
        {
            if (!frames.TryDecode(from)) problem = "the file ends before its last frame";
            else if (frames.Header.FirstSample(metadata.StreamInfo) != sample) problem = "a frame is missing or out of order there";
            else return;
        }
        catch (InvalidDataException e)
        {
            problem = e.Message;
        }
        catch (EndOfStreamException)
        {
            problem = "the file ends inside the frame there";
        }

        throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
            $"'{name}' is damaged at {FlacLength.Time(sample, Info.SampleRate)} (sample {sample}): {problem}."));
    }

    private void Interleave(Span<float> destination, int cursor, int count)
    {
        var channels = Info.Channels;
        if (channels == 2)
        {
            var left = decoder.Channel(0).Slice(cursor, count);
            var right = decoder.Channel(1).Slice(cursor, count);
            for (var i = 0; i < count; i++)
            {
                destination[2 * i] = left[i] * scale;
                destination[(2 * i) + 1] = right[i] * scale;
            }

            return;
        }

        for (var c = 0; c < channels; c++)
        {
            var samples = decoder.Channel(c).Slice(cursor, count);
            for (var i = 0; i < count; i++) destination[(i * channels) + c] = samples[i] * scale;
        }
    }
}
