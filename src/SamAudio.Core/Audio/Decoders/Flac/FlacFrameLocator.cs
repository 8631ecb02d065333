namespace SamAudio.Core.Audio.Decoders.Flac;

/// <summary>
/// Finds where to start decoding to reach a sample: the nearest SEEKTABLE point at or before it, or else a
/// bisection over byte offsets in which a candidate sync code counts only when its header passes CRC-8, agrees
/// with STREAMINFO and the whole frame decodes with a correct CRC-16. The result is a frame start at or before
/// the sample; the caller decodes forward from there to the exact sample.
/// </summary>
internal sealed class FlacFrameLocator(FlacBitReader input, FlacFrameDecoder decoder, FlacMetadata metadata, long fileLength)
{
    /// <summary>Below this many bytes between the bounds, decoding forward is cheaper than bisecting further.</summary>
    private readonly long linearBytes = Math.Max(2L * metadata.StreamInfo.MaxFrameBytes, 1 << 15);

    /// <summary>A frame start (byte offset, first sample) at or before <paramref name="sample"/>.</summary>
    public (long Offset, long Sample) Locate(long sample, bool useSeekTable)
    {
        var start = (Offset: metadata.AudioOffset, Sample: 0L);
        var high = fileLength;
        if (useSeekTable)
        {
            foreach (var point in metadata.SeekPoints)
            {
                var offset = metadata.AudioOffset + point.Offset;
                if (offset >= fileLength) break;
                if (point.Sample > sample)
                {
                    high = Math.Max(offset, start.Offset);
                    break;
                }

                start = (offset, point.Sample);
            }
        }

        while (high - start.Offset > linearBytes)
        {
            var middle = start.Offset + ((high - start.Offset) / 2);
            var candidate = FirstFrameFrom(middle, high);
            if (candidate is not { } found || found.Sample > sample)
                high = middle;
            else
                start = found;
        }

        return start;
    }

    /// <summary>The first frame starting in [from, limit) that decodes cleanly, or null.</summary>
    public (long Offset, long Sample)? FirstFrameFrom(long from, long limit)
    {
        var at = from;
        while (true)
        {
            var sync = input.FindSync(at, limit - 1);
            if (sync < 0) return null;
            input.Seek(sync);
            try
            {
                if (decoder.TryDecode(input)) return (sync, decoder.Header.FirstSample(metadata.StreamInfo));
            }
            catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
            {
                // Not a frame (sync-like bytes inside audio data) or a cut one: look further.
            }

            at = sync + 1;
        }
    }
}
