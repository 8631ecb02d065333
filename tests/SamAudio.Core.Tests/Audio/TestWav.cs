using System.Text;

namespace SamAudio.Core.Tests.Audio;

/// <summary>How a test WAV is laid out: encoding, header kind, extra chunks, and a lie about the data length.</summary>
public sealed record WavSpec(int SampleRate, int Channels, int Bits, bool Float = false, bool Extensible = false)
{
    public bool Rf64 { get; init; }

    public IReadOnlyList<(string Id, byte[] Data)> ChunksBeforeData { get; init; } = [];

    public IReadOnlyList<(string Id, byte[] Data)> ChunksAfterData { get; init; } = [];

    /// <summary>When set, the header declares this many frames while only <c>frames</c> are written.</summary>
    public long? DeclaredFrames { get; init; }

    public int BlockAlign => Channels * Bits / 8;
}

/// <summary>A tiny byte-level WAV/RF64 writer for tests, independent of the code under test.</summary>
internal static class TestWav
{
    /// <summary>The analogue test signal: a different tone per channel, within [-0.8, 0.8].</summary>
    public static double Signal(long frame, int channel) =>
        0.8 * Math.Sin(2 * Math.PI * frame * 0.0131 * (channel + 1)) * (channel % 2 == 0 ? 1 : -0.7);

    /// <summary>What a correct decoder returns for the signal stored with <paramref name="spec"/>'s encoding.</summary>
    public static float Expected(WavSpec spec, long frame, int channel)
    {
        var v = Signal(frame, channel);
        if (spec.Float) return (float)v;
        return (float)(Quantize(v, spec.Bits) / Math.Pow(2, spec.Bits - 1));
    }

    public static float[] ExpectedInterleaved(WavSpec spec, long firstFrame, int frames)
    {
        var result = new float[frames * spec.Channels];
        for (var f = 0; f < frames; f++)
            for (var c = 0; c < spec.Channels; c++)
                result[(f * spec.Channels) + c] = Expected(spec, firstFrame + f, c);
        return result;
    }

    public static string Write(string path, WavSpec spec, int frames)
    {
        File.WriteAllBytes(path, Build(spec, frames));
        return path;
    }

    public static byte[] Build(WavSpec spec, int frames)
    {
        using var memory = new MemoryStream();
        using var w = new BinaryWriter(memory, Encoding.ASCII);
        var dataBytes = (long)frames * spec.BlockAlign;
        var declaredBytes = (spec.DeclaredFrames ?? frames) * spec.BlockAlign;
        w.Write(Encoding.ASCII.GetBytes(spec.Rf64 ? "RF64" : "RIFF"));
        w.Write(uint.MaxValue); // patched below
        w.Write("WAVE"u8);
        if (spec.Rf64)
        {
            w.Write("ds64"u8);
            w.Write(28);
            w.Write(0L); // RIFF size, patched below
            w.Write(declaredBytes);
            w.Write(declaredBytes / spec.BlockAlign);
            w.Write(0);
        }

        WriteFormat(w, spec);
        foreach (var (id, data) in spec.ChunksBeforeData) WriteChunk(w, id, data);
        w.Write("data"u8);
        w.Write(spec.Rf64 ? uint.MaxValue : (uint)declaredBytes);
        for (var f = 0; f < frames; f++)
            for (var c = 0; c < spec.Channels; c++)
                WriteSample(w, spec, Signal(f, c));
        if (dataBytes % 2 == 1) w.Write((byte)0);
        foreach (var (id, data) in spec.ChunksAfterData) WriteChunk(w, id, data);
        w.Flush();
        var bytes = memory.ToArray();
        var riffSize = spec.DeclaredFrames is null ? bytes.Length - 8 : bytes.Length - 8 + (declaredBytes - dataBytes);
        if (spec.Rf64) BitConverter.GetBytes(riffSize).CopyTo(bytes, 20);
        else BitConverter.GetBytes((uint)riffSize).CopyTo(bytes, 4);
        return bytes;
    }

    private static void WriteFormat(BinaryWriter w, WavSpec spec)
    {
        w.Write("fmt "u8);
        w.Write(spec.Extensible ? 40 : spec.Float ? 18 : 16);
        w.Write((ushort)(spec.Extensible ? 0xFFFE : spec.Float ? 3 : 1));
        w.Write((ushort)spec.Channels);
        w.Write(spec.SampleRate);
        w.Write(spec.SampleRate * spec.BlockAlign);
        w.Write((ushort)spec.BlockAlign);
        w.Write((ushort)spec.Bits);
        if (spec.Extensible)
        {
            w.Write((ushort)22);
            w.Write((ushort)spec.Bits);
            w.Write(0); // channel mask: no speaker layout
            w.Write(new Guid(spec.Float ? "00000003-0000-0010-8000-00aa00389b71" : "00000001-0000-0010-8000-00aa00389b71").ToByteArray());
        }
        else if (spec.Float)
        {
            w.Write((ushort)0);
        }
    }

    private static void WriteChunk(BinaryWriter w, string id, byte[] data)
    {
        w.Write(Encoding.ASCII.GetBytes(id));
        w.Write(data.Length);
        w.Write(data);
        if (data.Length % 2 == 1) w.Write((byte)0);
    }

    private static void WriteSample(BinaryWriter w, WavSpec spec, double v)
    {
        if (spec.Float)
        {
            if (spec.Bits == 64) w.Write(v);
            else w.Write((float)v);
            return;
        }

        var q = Quantize(v, spec.Bits);
        switch (spec.Bits)
        {
            case 8: w.Write((byte)(q + 128)); break;
            case 16: w.Write((short)q); break;
            case 24: w.Write((byte)q); w.Write((byte)(q >> 8)); w.Write((byte)(q >> 16)); break;
            default: w.Write((int)q); break;
        }
    }

    private static long Quantize(double v, int bits)
    {
        var scale = Math.Pow(2, bits - 1);
        return (long)Math.Clamp(Math.Round(v * scale), -scale, scale - 1);
    }
}
