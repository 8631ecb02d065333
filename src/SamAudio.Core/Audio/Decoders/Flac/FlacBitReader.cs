using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SamAudio.Core.Audio.Decoders.Flac;

/// <summary>
/// Big-endian bit reader over a seekable stream, with a 64-bit cache (bits left-aligned, the unused low bits zero).
/// The bytes of the current frame stay in the buffer from <see cref="MarkFrameStart"/> on, so the frame's
/// checksums are computed over the buffer itself; the buffer grows only when one frame is larger than it.
/// Running out of bytes inside a read throws <see cref="EndOfStreamException"/> (a cut frame).
/// </summary>
internal sealed class FlacBitReader(Stream stream)
{
    private byte[] buffer = new byte[1 << 16];
    private long bufferOffset; // stream offset of buffer[0]
    private int end;           // valid bytes in buffer
    private int pos;           // next byte to move into the cache
    private int frameStart;    // first byte kept for the checksums
    private ulong cache;
    private int bits;          // valid bits in cache

    /// <summary>Stream offset of the next unread whole byte (the reader must be byte-aligned).</summary>
    public long BytePosition => bufferOffset + pos - (bits >> 3);

    /// <summary>Drops everything buffered and continues reading at <paramref name="offset"/>.</summary>
    public void Seek(long offset)
    {
        var inBuffer = offset - bufferOffset;
        if (inBuffer >= 0 && inBuffer <= end)
        {
            pos = (int)inBuffer; // still buffered: no stream read
        }
        else
        {
            stream.Position = offset;
            bufferOffset = offset;
            end = 0;
            pos = 0;
        }

        frameStart = pos;
        cache = 0;
        bits = 0;
    }

    /// <summary>Keeps the bytes from the current (aligned) position on for <see cref="FrameBytes"/>.</summary>
    public void MarkFrameStart() => frameStart = pos - (bits >> 3);

    /// <summary>The bytes from <see cref="MarkFrameStart"/> to the current aligned position.</summary>
    public ReadOnlySpan<byte> FrameBytes() => buffer.AsSpan(frameStart, pos - (bits >> 3) - frameStart);

    /// <summary>True when no byte is left at the current position (a clean end of stream between frames).</summary>
    public bool AtEnd()
    {
        if (bits >= 8 || pos < end) return false;
        return Fill() == 0;
    }

    /// <summary>
    /// Stream offset of the first frame sync code (0xFFF8 or 0xFFF9) at or after <paramref name="from"/> and not
    /// after <paramref name="limit"/>; -1 when there is none. Leaves the reader anywhere: <see cref="Seek"/> next.
    /// </summary>
    public long FindSync(long from, long limit)
    {
        Seek(from);
        while (bufferOffset + pos <= limit)
        {
            if (end - pos < 2)
            {
                frameStart = pos;
                var before = end - pos;
                if (Fill() == 0) return -1;
                if (end - pos == before) return -1;
                continue;
            }

            var i = buffer.AsSpan(pos, end - pos - 1).IndexOf((byte)0xFF);
            if (i < 0)
            {
                pos = end - 1;
                continue;
            }

            pos += i;
            if ((buffer[pos + 1] & 0xFE) == 0xF8)
                return bufferOffset + pos <= limit ? bufferOffset + pos : -1;
            pos++;
        }

        return -1;
    }

    public void AlignToByte()
    {
        var drop = bits & 7;
        cache <<= drop;
        bits -= drop;
    }

    /// <summary>Reads <paramref name="n"/> (0 to 32) bits as an unsigned value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint ReadBits(int n)
    {
        if (n == 0) return 0;
        if (bits < n) Refill(n);
        var value = (uint)(cache >> (64 - n));
        cache <<= n;
        bits -= n;
        return value;
    }

    /// <summary>Reads <paramref name="n"/> (1 to 32) bits as a two's complement value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int ReadSigned(int n)
    {
        if (n == 0) return 0;
        if (bits < n) Refill(n);
        var value = (int)((long)cache >> (64 - n));
        cache <<= n;
        bits -= n;
        return value;
    }

    /// <summary>Reads <paramref name="n"/> (1 to 33) bits as a two's complement value.</summary>
    public long ReadSigned64(int n)
    {
        if (n <= 32) return ReadSigned(n);
        long high = ReadSigned(n - 32);
        return (high << 32) | ReadBits(32);
    }

    /// <summary>Counts zero bits up to and including the next one bit.</summary>
    public int ReadUnary()
    {
        var zeros = 0;
        while (true)
        {
            if (bits == 0) Refill(1);
            if (cache != 0)
            {
                var lz = BitOperations.LeadingZeroCount(cache);
                if (lz < bits)
                {
                    cache <<= lz + 1;
                    bits -= lz + 1;
                    return zeros + lz;
                }
            }

            zeros += bits;
            cache = 0;
            bits = 0;
        }
    }

    /// <summary>Reads <paramref name="destination"/>.Length Rice-coded residuals with parameter <paramref name="k"/>.</summary>
    /// <remarks>The hot loop of the decoder: the cache, its bit count and the buffer position live in locals and
    /// the common refill (8 bytes at once) is inline; the rare paths write them back and call the general code.</remarks>
    public void ReadRice(Span<int> destination, int k)
    {
        var c = cache;
        var n = bits;
        var p = pos;
        var available = end - 8;
        ref var bytes = ref MemoryMarshal.GetArrayDataReference(buffer);
        ref var output = ref MemoryMarshal.GetReference(destination);
        for (var i = 0; i < destination.Length; i++)
        {
            if (n < 40)
            {
                if (p <= available)
                {
                    var next = BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref bytes, p)));
                    c |= next >> n;
                    var take = (63 - n) >> 3;
                    p += take;
                    n += take << 3;
                }
                else
                {
                    (cache, bits, pos) = (c, n, p);
                    RefillAvailable();
                    (c, n, p, available) = (cache, bits, pos, end - 8);
                    bytes = ref MemoryMarshal.GetArrayDataReference(buffer);
                }
            }

            var lz = BitOperations.LeadingZeroCount(c);
            uint q;
            if (lz < n)
            {
                c <<= lz + 1;
                n -= lz + 1;
                q = (uint)lz;
            }
            else
            {
                (cache, bits, pos) = (c, n, p);
                q = (uint)ReadUnary();
                (c, n, p, available) = (cache, bits, pos, end - 8);
                bytes = ref MemoryMarshal.GetArrayDataReference(buffer);
            }

            if (n < k)
            {
                (cache, bits, pos) = (c, n, p);
                Refill(k);
                (c, n, p, available) = (cache, bits, pos, end - 8);
                bytes = ref MemoryMarshal.GetArrayDataReference(buffer);
            }

            var low = k == 0 ? 0u : (uint)(c >> (64 - k));
            c <<= k;
            n -= k;
            var u = (q << k) | low;
            Unsafe.Add(ref output, i) = (int)(u >> 1) ^ -(int)(u & 1);
        }

        (cache, bits, pos) = (c, n, p);
    }

    /// <summary>Fills the cache to at least <paramref name="need"/> bits, or throws at the end of the stream.</summary>
    private void Refill(int need)
    {
        RefillAvailable();
        if (bits < need) throw new EndOfStreamException("The stream ends inside a FLAC frame.");
    }

    /// <summary>Fills the cache to more than 56 bits, or with what is left at the end of the stream.</summary>
    private void RefillAvailable()
    {
        if (pos + 8 <= end)
        {
            var next = BinaryPrimitives.ReadUInt64BigEndian(buffer.AsSpan(pos));
            cache |= next >> bits;
            var take = (63 - bits) >> 3;
            pos += take;
            bits += take << 3;
            return;
        }

        while (bits <= 56)
        {
            if (pos == end && Fill() == 0) return;
            cache |= (ulong)buffer[pos++] << (56 - bits);
            bits += 8;
        }
    }

    /// <summary>Forgets the buffer (someone else moved the stream); the next <see cref="Seek"/> reads afresh.</summary>
    public void Invalidate()
    {
        bufferOffset = long.MinValue / 2;
        end = pos = frameStart = bits = 0;
        cache = 0;
    }

    /// <summary>Moves the kept bytes to the front, grows the buffer if it is full, reads more; returns bytes read.</summary>
    private int Fill()
    {
        if (frameStart > 0)
        {
            Buffer.BlockCopy(buffer, frameStart, buffer, 0, end - frameStart);
            bufferOffset += frameStart;
            end -= frameStart;
            pos -= frameStart;
            frameStart = 0;
        }

        if (end == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
        var read = stream.Read(buffer, end, buffer.Length - end);
        end += read;
        return read;
    }
}
