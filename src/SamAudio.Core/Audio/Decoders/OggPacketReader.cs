namespace SamAudio.Core.Audio.Decoders;

/// <summary>
/// Joins the segments of one logical Ogg stream (one serial number) into packets, across pages. Pages of other
/// streams are passed over; a packet whose continuation page is missing (damage) is dropped, not glued to the next.
/// The returned packet is valid until the next read.
/// </summary>
internal sealed class OggPacketReader(OggPageReader pages, uint serial)
{
    private byte[] packet = new byte[1 << 16];
    private int packetLength;
    private bool inPacket;
    private bool pageLoaded;
    private bool dropCompleted;
    private int segment;
    private int bodyOffset;
    private int lastCompleting;
    private long nextPage;

    /// <summary>Offset of the page after the current one: where a new page-aligned section starts.</summary>
    public long NextPageOffset => nextPage;

    /// <summary>
    /// Continues from the page at <paramref name="pageOffset"/>. With <paramref name="afterThisPage"/> the packets
    /// completed on that page are skipped, so the next packet is the one that starts right after that page's
    /// granule position; without it, a packet continued from an earlier page is skipped.
    /// </summary>
    public void StartAt(long pageOffset, bool afterThisPage)
    {
        nextPage = pageOffset;
        pageLoaded = false;
        inPacket = false;
        packetLength = 0;
        dropCompleted = afterThisPage;
    }

    /// <summary>
    /// The next whole packet; <paramref name="granule"/> is its page's granule position when it is the last packet
    /// completed on that page, else -1. False at the end of the stream's whole pages.
    /// </summary>
    public bool TryRead(out ReadOnlySpan<byte> result, out long granule)
    {
        while (true)
        {
            if (!pageLoaded && !LoadPage())
            {
                result = default;
                granule = -1;
                return false;
            }

            var segments = pages.Segments;
            while (segment < segments.Length)
            {
                var lacing = segments[segment];
                if (inPacket) Append(pages.Body.Slice(bodyOffset, lacing));
                bodyOffset += lacing;
                var index = segment++;
                if (lacing == 255) continue;
                var complete = inPacket;
                inPacket = true;
                var length = packetLength;
                packetLength = 0;
                if (!complete || (dropCompleted && index <= lastCompleting)) continue;
                result = packet.AsSpan(0, length);
                granule = index == lastCompleting ? pages.Granule : -1;
                return true;
            }

            pageLoaded = false;
            dropCompleted = false;
        }
    }

    private bool LoadPage()
    {
        do
        {
            if (!pages.TryRead(nextPage)) return false;
            nextPage = pages.Offset + pages.Length;
        }
        while (pages.Serial != serial);

        var continued = (pages.Flags & OggPageReader.Continued) != 0;
        // A packet is collected only from its first segment: a continuation with nothing begun is skipped, and a
        // begun packet without its continuation is dropped.
        if (!continued) packetLength = 0;
        inPacket = !continued || inPacket;
        segment = 0;
        bodyOffset = 0;
        lastCompleting = -1;
        var segments = pages.Segments;
        for (var i = 0; i < segments.Length; i++) if (segments[i] < 255) lastCompleting = i;
        pageLoaded = true;
        return true;
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        if (packetLength + bytes.Length > packet.Length) Array.Resize(ref packet, Math.Max(packet.Length * 2, packetLength + bytes.Length));
        bytes.CopyTo(packet.AsSpan(packetLength));
        packetLength += bytes.Length;
    }
}
