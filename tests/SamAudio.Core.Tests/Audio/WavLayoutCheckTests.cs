using System.Buffers.Binary;
using System.Text;
using SamAudio.Core.Audio;

namespace SamAudio.Core.Tests.Audio;

/// <summary>Implausible or hostile WAV headers fail with a sentence naming the file, before any large allocation.</summary>
public sealed class WavLayoutCheckTests : IDisposable
{
    private const int Tag = 20, Channels = 22, Rate = 24, BlockAlign = 32, Bits = 34; // fmt fields of a plain RIFF
    private const long AllocationCap = 4 << 20;
    private readonly TempDir temp = new();

    public static TheoryData<string, int, int, string> BadFormatFields => new()
    {
        { "rate too low", Rate, 500, "500 Hz" },
        { "rate too high", Rate, 1_000_000, "1000000 Hz" },
        { "no channels", Channels, 0, "0 channels" },
        { "too many channels", Channels, 65, "65 channels" },
        { "block align", BlockAlign, 3, "3 bytes per frame" },
        { "bits", Bits, 12, "12-bit PCM" },
        { "mu-law", Tag, 7, "MuLaw" },
    };

    [Theory]
    [MemberData(nameof(BadFormatFields))]
    public void Implausible_format_fields_are_rejected_with_the_file_and_the_value(string why, int offset, int value, string expected)
    {
        var bytes = TestWav.Build(new WavSpec(16000, 1, 16), 100);
        if (offset == Rate) BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(offset), value);
        else BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(offset), (ushort)value);

        var message = Rejected(bytes, "bad-" + why.Replace(' ', '-') + ".wav");

        Assert.Contains(expected, message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Huge_chunk_before_the_audio_is_rejected_without_allocating_it(bool rf64)
    {
        var spec = new WavSpec(8000, 1, 16) { Rf64 = rf64, ChunksBeforeData = [("LIST", new byte[10])] };
        var bytes = TestWav.Build(spec, 100);
        int list = IndexOf(bytes, "LIST");
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(list + 4), uint.MaxValue - 1);

        var message = Rejected(bytes, "huge-list.wav");

        Assert.Contains("'LIST' chunk of 4294967294 bytes", message);
    }

    [Fact]
    public void Huge_chunk_after_the_audio_is_skipped_and_the_audio_read()
    {
        var spec = new WavSpec(8000, 1, 16) { ChunksAfterData = [("LIST", new byte[10])] };
        var bytes = TestWav.Build(spec, 100);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(IndexOf(bytes, "LIST") + 4), uint.MaxValue);
        var path = temp.File("huge-list-after.wav");
        File.WriteAllBytes(path, bytes);

        long before = GC.GetAllocatedBytesForCurrentThread();
        using var reader = AudioReaders.Open(path);
        Assert.Equal(100, AudioTestKit.ReadAll(reader).Length);
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, AllocationCap);
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(-1)]
    [InlineData(10)]
    public void Implausible_ds64_size_is_rejected_without_allocating_it(int size)
    {
        var bytes = TestWav.Build(new WavSpec(8000, 1, 16) { Rf64 = true }, 100);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(16), size);

        Assert.Contains("'ds64' chunk of", Rejected(bytes, "bad-ds64.wav"));
    }

    [Fact]
    public void Negative_rf64_data_size_is_rejected()
    {
        var bytes = TestWav.Build(new WavSpec(8000, 1, 16) { Rf64 = true }, 100);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(28), -4);

        Assert.Contains("negative audio length", Rejected(bytes, "negative-ds64.wav"));
    }

    [Theory]
    [InlineData(8)]
    [InlineData(100_000)]
    public void Implausible_fmt_chunk_size_is_rejected(int size)
    {
        var bytes = TestWav.Build(new WavSpec(8000, 1, 16), 100);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(16), size);

        Assert.Contains("'fmt ' chunk of", Rejected(bytes, "bad-fmt.wav"));
    }

    [Fact]
    public void Header_cut_short_is_rejected_as_cut()
    {
        var bytes = TestWav.Build(new WavSpec(8000, 1, 16), 100);
        Assert.Contains("ends inside its 'fmt ' chunk", Rejected(bytes[..30], "cut-header.wav"));
    }

    [Fact]
    public void Metadata_chunk_with_an_unprintable_name_is_not_carried_into_outputs()
    {
        var spec = new WavSpec(8000, 1, 16) { ChunksBeforeData = [("bext", new byte[4]), ("\u0001\u0002ab", new byte[4])] };
        var path = temp.File("odd-chunk.wav");
        File.WriteAllBytes(path, TestWav.Build(spec, 10));

        using var reader = AudioReaders.Open(path);

        Assert.Equal(["bext"], reader.Info.MetadataChunks.Select(c => c.Id));
        Assert.Contains(reader.Warnings, w => w.Contains("not four printable characters", StringComparison.Ordinal));
    }

    /// <summary>Opens the bytes and returns the message of the <see cref="InvalidDataException"/> it must throw.</summary>
    private string Rejected(byte[] bytes, string fileName)
    {
        var path = temp.File(fileName);
        File.WriteAllBytes(path, bytes);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<InvalidDataException>(() => AudioReaders.Open(path).Dispose());
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, AllocationCap);
        Assert.Contains(fileName, error.Message);
        Assert.DoesNotContain("Exception", error.Message);
        return error.Message;
    }

    private static int IndexOf(byte[] bytes, string id) => bytes.AsSpan().IndexOf(Encoding.ASCII.GetBytes(id));

    public void Dispose() => temp.Dispose();
}
