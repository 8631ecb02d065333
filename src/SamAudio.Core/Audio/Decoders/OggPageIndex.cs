namespace SamAudio.Core.Audio.Decoders;

/// <summary>
/// Every page of one logical Ogg stream that completes a packet, with its granule position, found at open by
/// reading the file once (each page's CRC checked). Seeking starts decoding at one of these pages; the last one
/// gives the stream's length. Also says whether the stream ends as it should (an end-of-stream page, nothing cut).
/// </summary>
internal sealed class OggPageIndex
{
    private long[] offsets = new long[256];
    private long[] granules = new long[256];

    public int Count { get; private set; }

    /// <summary>Granule position of the last whole page that has one (-1 when none has).</summary>
    public long LastGranule => Count == 0 ? -1 : granules[Count - 1];

    /// <summary>True when the last whole page is flagged end-of-stream and no bytes after it are skipped.</summary>
    public bool EndsCleanly { get; private set; }

    public long Offset(int page) => offsets[page];

    public long Granule(int page) => granules[page];

    /// <summary>The last page whose granule position is at most <paramref name="granule"/>; -1 when none.</summary>
    public int LastAtOrBefore(long granule)
    {
        int low = 0, high = Count - 1, found = -1;
        while (low <= high)
        {
            var middle = (low + high) / 2;
            if (granules[middle] <= granule)
            {
                found = middle;
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return found;
    }

    /// <summary>Reads the pages of <paramref name="serial"/> from <paramref name="offset"/> to the end of the file.</summary>
    public static OggPageIndex Build(OggPageReader pages, uint serial, long offset)
    {
        var index = new OggPageIndex();
        var endOfStream = false;
        var skipped = false;
        while (pages.TryReadFrom(offset))
        {
            skipped |= pages.Offset != offset;
            offset = pages.Offset + pages.Length;
            if (pages.Serial != serial) continue;
            endOfStream = (pages.Flags & OggPageReader.EndOfStream) != 0;
            if (pages.Granule != -1) index.Add(pages.Offset, pages.Granule);
            if (endOfStream) break;
        }

        index.EndsCleanly = endOfStream && !skipped && (offset == pages.StreamLength || pages.TryRead(offset));
        return index;
    }

    private void Add(long offset, long granule)
    {
        if (Count == offsets.Length)
        {
            Array.Resize(ref offsets, Count * 2);
            Array.Resize(ref granules, Count * 2);
        }

        offsets[Count] = offset;
        granules[Count++] = granule;
    }
}
