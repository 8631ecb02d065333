using System.Buffers.Binary;
using System.Security.Cryptography;

namespace SamAudio.Storage.Tests;

/// <summary>
/// Writes 16-bit FLAC files for tests, so long FLAC recordings are made in a moment without the reference encoder.
/// Each channel is coded on its own with the order-2 fixed predictor and one Rice partition: a valid FLAC stream
/// (CRC-8 headers, CRC-16 frames, the STREAMINFO MD5 of the samples), though not a small one. Streams to disk:
/// hours of audio need only one block in memory.
/// </summary>
public static class TestFlac
{
    /// <summary>
    /// Writes <paramref name="frames"/> frames. <paramref name="fill"/> gets the first frame of a block and fills its
    /// interleaved samples. With <paramref name="declareLength"/> false, STREAMINFO leaves the length and the MD5 at
    /// zero, as an encoder writing to a pipe does.
    /// </summary>
    public static void Write(string path, int sampleRate, int channels, long frames, Action<long, Span<short>> fill,
        int blockSize = 4096, bool declareLength = true)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 20);
        Write(file, sampleRate, channels, frames, fill, blockSize, declareLength);
    }

    /// <summary>A small FLAC in memory: a 440 Hz tone over seeded noise, different in each channel.</summary>
    public static byte[] Create(int sampleRate, int channels, long frames, bool declareLength = true, int seed = 1)
    {
        using var memory = new MemoryStream();
        Write(memory, sampleRate, channels, frames, (first, block) => Tone(first, block, sampleRate, channels, seed), declareLength: declareLength);
        return memory.ToArray();
    }

    /// <summary>Fills <paramref name="block"/> (interleaved, starting at frame <paramref name="first"/>) with a tone over noise.</summary>
    public static void Tone(long first, Span<short> block, int sampleRate, int channels, int seed)
    {
        for (var i = 0; i < block.Length; i++)
        {
            var frame = first + (i / channels);
            var noise = (int)((((ulong)(frame * channels + (i % channels)) * 0x9E3779B97F4A7C15UL) ^ (ulong)seed) >> 51) - 4096;
            var tone = 8000 * Math.Sin(2 * Math.PI * 440 * frame / sampleRate) / (1 + (i % channels));
            block[i] = (short)Math.Round(tone + noise);
        }
    }

    /// <summary>Writes a FLAC stream to a seekable <paramref name="file"/> (STREAMINFO is filled in at the end).</summary>
    public static void Write(Stream file, int sampleRate, int channels, long frames, Action<long, Span<short>> fill,
        int blockSize = 4096, bool declareLength = true)
    {
        file.Write("fLaC"u8);
        var streamInfoAt = file.Position;
        file.Write(new byte[4 + 34]);

        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var samples = new short[blockSize * channels];
        var pcm = new byte[samples.Length * 2];
        var frame = new BitWriter();
        int minFrameBytes = int.MaxValue, maxFrameBytes = 0;
        long number = 0;
        for (long first = 0; first < frames; first += blockSize, number++)
        {
            var count = (int)Math.Min(blockSize, frames - first);
            var block = samples.AsSpan(0, count * channels);
            fill(first, block);
            for (var i = 0; i < block.Length; i++) BinaryPrimitives.WriteInt16LittleEndian(pcm.AsSpan(i * 2), block[i]);
            md5.AppendData(pcm, 0, block.Length * 2);

            frame.Clear();
            WriteFrame(frame, block, channels, count, blockSize, number);
            file.Write(frame.Bytes);
            minFrameBytes = Math.Min(minFrameBytes, frame.Bytes.Length);
            maxFrameBytes = Math.Max(maxFrameBytes, frame.Bytes.Length);
        }

        var info = new BitWriter();
        info.Write(1, 1);                         // last metadata block
        info.Write(0, 7);                         // STREAMINFO
        info.Write(34, 24);
        info.Write((uint)blockSize, 16);
        info.Write((uint)blockSize, 16);
        info.Write(declareLength ? (uint)minFrameBytes : 0, 24);
        info.Write(declareLength ? (uint)maxFrameBytes : 0, 24);
        info.Write((uint)sampleRate, 20);
        info.Write((uint)(channels - 1), 3);
        info.Write(15, 5);                        // 16 bits per sample
        info.Write(declareLength ? (uint)(frames >> 32) : 0, 4);
        info.Write(declareLength ? (uint)frames : 0, 32);
        var digest = declareLength ? md5.GetHashAndReset() : new byte[16];
        foreach (var b in digest) info.Write(b, 8);
        file.Position = streamInfoAt;
        file.Write(info.Bytes);
    }

    private static void WriteFrame(BitWriter w, ReadOnlySpan<short> block, int channels, int count, int blockSize, long number)
    {
        var fixedSize = count == blockSize && blockSize == 4096;
        w.Write(0b11111111111110, 14);
        w.Write(0, 1);                            // reserved
        w.Write(0, 1);                            // fixed block size stream: the header carries the frame number
        w.Write(fixedSize ? 12u : 7u, 4);         // 12: 4096 samples; 7: the size follows the number as 16 bits
        w.Write(0, 4);                            // sample rate from STREAMINFO
        w.Write((uint)(channels - 1), 4);         // independent channels
        w.Write(4, 3);                            // 16 bits per sample
        w.Write(0, 1);
        WriteUtf8Number(w, number);
        if (!fixedSize) w.Write((uint)(count - 1), 16);
        w.Write(Crc8(w.Bytes), 8);

        var residual = new int[count];
        for (var c = 0; c < channels; c++)
        {
            w.Write(0, 1);
            w.Write(count > 2 ? 0b001010u : 0b000001u, 6); // FIXED order 2, or VERBATIM for a tiny last block
            w.Write(0, 1);                        // no wasted bits
            if (count <= 2)
            {
                for (var i = 0; i < count; i++) w.WriteSigned(block[(i * channels) + c], 16);
                continue;
            }

            w.WriteSigned(block[c], 16);
            w.WriteSigned(block[channels + c], 16);
            long total = 0;
            for (var i = 2; i < count; i++)
            {
                residual[i] = block[(i * channels) + c] - (2 * block[((i - 1) * channels) + c]) + block[((i - 2) * channels) + c];
                total += Math.Abs((long)residual[i]);
            }

            var mean = (double)total / (count - 2);
            var k = mean < 1 ? 0 : Math.Min(14, (int)Math.Floor(Math.Log2(mean)));
            w.Write(0, 2);                        // Rice, 4-bit parameters
            w.Write(0, 4);                        // one partition
            w.Write((uint)k, 4);
            for (var i = 2; i < count; i++)
            {
                var folded = (uint)((residual[i] << 1) ^ (residual[i] >> 31));
                w.WriteUnary(folded >> k);
                if (k > 0) w.Write(folded & ((1u << k) - 1), k);
            }
        }

        w.AlignToByte();
        var crc = Crc16(w.Bytes);
        w.Write(crc, 16);
    }

    private static void WriteUtf8Number(BitWriter w, long value)
    {
        if (value < 0x80)
        {
            w.Write((uint)value, 8);
            return;
        }

        var continuation = value < 0x800 ? 1 : value < 0x10000 ? 2 : value < 0x200000 ? 3 : value < 0x4000000 ? 4 : 5;
        var lead = (0xFF00u >> (continuation + 1)) & 0xFF;
        w.Write(lead | (uint)(value >> (6 * continuation)), 8);
        for (var i = continuation - 1; i >= 0; i--) w.Write(0x80u | (uint)((value >> (6 * i)) & 0x3F), 8);
    }

    private static uint Crc8(ReadOnlySpan<byte> bytes)
    {
        uint crc = 0;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var i = 0; i < 8; i++) crc = (crc & 0x80) != 0 ? ((crc << 1) ^ 0x07) & 0xFF : (crc << 1) & 0xFF;
        }

        return crc;
    }

    private static uint Crc16(ReadOnlySpan<byte> bytes)
    {
        uint crc = 0;
        foreach (var b in bytes)
        {
            crc ^= (uint)b << 8;
            for (var i = 0; i < 8; i++) crc = (crc & 0x8000) != 0 ? ((crc << 1) ^ 0x8005) & 0xFFFF : (crc << 1) & 0xFFFF;
        }

        return crc;
    }

    /// <summary>Most-significant-bit-first writer into a growing byte buffer.</summary>
    private sealed class BitWriter
    {
        private byte[] _buffer = new byte[1 << 16];
        private int _length;
        private ulong _pending;
        private int _pendingBits;

        /// <summary>The whole bytes written so far (call after <see cref="AlignToByte"/> or at a byte boundary).</summary>
        public ReadOnlySpan<byte> Bytes => _buffer.AsSpan(0, _length);

        public void Clear() => (_length, _pending, _pendingBits) = (0, 0, 0);

        public void Write(uint value, int bits)
        {
            _pending = (_pending << bits) | (value & (bits == 32 ? uint.MaxValue : (1u << bits) - 1));
            _pendingBits += bits;
            while (_pendingBits >= 8)
            {
                _pendingBits -= 8;
                Put((byte)(_pending >> _pendingBits));
            }
        }

        public void WriteSigned(int value, int bits) => Write((uint)value, bits);

        public void WriteUnary(uint zeros)
        {
            for (; zeros >= 16; zeros -= 16) Write(0, 16);
            Write(1, (int)zeros + 1);
        }

        public void AlignToByte()
        {
            if (_pendingBits > 0) Write(0, 8 - _pendingBits);
        }

        private void Put(byte b)
        {
            if (_length == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
            _buffer[_length++] = b;
        }
    }
}
