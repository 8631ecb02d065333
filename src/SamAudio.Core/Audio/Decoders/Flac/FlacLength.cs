using System.Globalization;

namespace SamAudio.Core.Audio.Decoders.Flac;

/// <summary>
/// How many frames a FLAC file really holds, found at open without decoding the whole file: the frame holding
/// the last declared sample is located by bisection (never trusting the SEEKTABLE, which a cut file still carries
/// whole) and decoded, then the decode runs on to the last whole frame. Only a file whose declared length is
/// wrong or missing gets a warning.
/// </summary>
internal static class FlacLength
{
    public static long RealFrames(Stream stream, FlacMetadata metadata, string name, List<string> warnings)
    {
        var info = metadata.StreamInfo;
        var declared = info.TotalSamples;
        var input = new FlacBitReader(stream);
        var decoder = new FlacFrameDecoder(info);
        var locator = new FlacFrameLocator(input, decoder, metadata, stream.Length);
        var (offset, sample) = locator.Locate(declared > 0 ? declared - 1 : long.MaxValue / 2, useSeekTable: false);
        input.Seek(offset);
        var real = sample;
        var frameOffset = offset;
        try
        {
            while ((declared == 0 || real < declared) && decoder.TryDecode(input))
            {
                if (decoder.Header.FirstSample(info) != real)
                    throw new InvalidDataException("a frame is missing or out of order there");
                real += decoder.Header.BlockSize;
                frameOffset = input.BytePosition;
            }
        }
        catch (EndOfStreamException)
        {
            // The file ends inside this frame: the frames before it are all there is.
        }
        catch (InvalidDataException) when (declared == 0 && locator.FirstFrameFrom(frameOffset + 1, stream.Length) is null)
        {
            // No frame follows: bytes after the audio (for example an ID3v1 tag) end a stream of unknown length.
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"'{name}' is damaged at {Time(real, info.SampleRate)} (sample {real}): {e.Message}."), e);
        }

        if (real != declared)
        {
            var claim = declared == 0 ? "does not declare its length" : $"declares {declared} frames";
            warnings.Add(string.Create(CultureInfo.InvariantCulture,
                $"'{Path.GetFileName(name)}' {claim} but holds {real}; decoding up to the real end."));
        }

        return real;
    }

    /// <summary>A sample position as hh:mm:ss.fff (hours past 24 keep counting).</summary>
    public static string Time(long sample, int sampleRate)
    {
        var t = TimeSpan.FromSeconds(sample / (double)sampleRate);
        return string.Create(CultureInfo.InvariantCulture, $"{(long)t.TotalHours:00}:{t.Minutes:00}:{t.Seconds:00}.{t.Milliseconds:000}");
    }
}
