using System.Buffers.Binary;
using System.Diagnostics;
using SamAudio.Core.Audio;
using Xunit.Abstractions;

namespace SamAudio.Core.Tests.Audio;

/// <summary>
/// Mutated recordings (bit flips, overwritten bytes, cuts, header fields and chunk sizes set to edge values,
/// inserted and removed bytes), a few thousand in all from a fixed seed, each opened, read to the end and sought a few
/// times. Each must decode or throw <see cref="InvalidDataException"/> naming the file (the contract of
/// <see cref="AudioReaders.Open(string)"/>), within <see cref="CaseTimeout"/> and <see cref="AllocationCap"/> bytes.
/// A mutant that breaks the contract is written to <c>$TMPDIR/samaudio-fuzz-failures/</c>: commit it under
/// <c>TestFiles/fuzz-regressions/</c> (as <c>&lt;name&gt;.&lt;ext&gt;</c>), where
/// <see cref="Regression_fixtures_decode_or_fail_cleanly"/> reads it on every run, and fix the reader.
/// To cover another format, add one line to <see cref="Seeds"/>.
/// </summary>
public sealed class ReaderFuzzTests(ITestOutputHelper output)
{
    private const int Seed = 20_260_501;
    private const long AllocationCap = 64L << 20;
    private static readonly TimeSpan CaseTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The files mutated, with how many mutants each.</summary>
    public static TheoryData<string, int> Seeds => new()
    {
        { "pcm16-stereo.wav", 600 },
        { "pcm24-mono.wav", 500 },
        { "float32-stereo.wav", 500 },
        { "bwf-bext.wav", 500 },
        { "rf64.wav", 500 },
        { "stereo16.ogg", 300 },
        { "stereo16.flac", 400 },
        { "mono24.flac", 200 },
        { "stereo16.mp3", 300 },
        { "stereo16.opus", 300 },
    };

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Mutants_decode_or_fail_cleanly(string seedFile, int cases)
    {
        byte[] original = SeedBytes(seedFile);
        var random = new Random(Seed + StableHash(seedFile));
        using var temp = new TempDir();
        var failures = new List<string>();
        var clock = Stopwatch.StartNew();
        int decoded = 0, rejected = 0;
        for (int i = 0; i < cases; i++)
        {
            var (mutant, how) = Mutate(original, random);
            string path = temp.File($"case{i}{Path.GetExtension(seedFile)}");
            File.WriteAllBytes(path, mutant);
            var outcome = Run(path, random.Next());
            if (outcome is null) decoded++;
            else if (outcome == "rejected") rejected++;
            else failures.Add(Save(seedFile, i, how, mutant, outcome));
        }

        output.WriteLine($"{seedFile}: {cases} mutants, {decoded} decoded, {rejected} rejected, {failures.Count} broke the contract, {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void Regression_fixtures_decode_or_fail_cleanly()
    {
        string folder = AudioTestKit.TestFile("fuzz-regressions");
        var files = Directory.Exists(folder) ? Directory.GetFiles(folder).Where(f => !f.EndsWith(".md", StringComparison.Ordinal)).ToArray() : [];
        var failures = files.Select(f => (f, Run(f, 1))).Where(r => r.Item2 is not (null or "rejected")).Select(r => $"{Path.GetFileName(r.f)}: {r.Item2}").ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>Null when the file decoded, "rejected" for a clean <see cref="InvalidDataException"/>, else what went wrong.</summary>
    private static string? Run(string path, int seekSeed)
    {
        var task = Task.Factory.StartNew(() => ReadEverything(path, seekSeed), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        if (!task.Wait(CaseTimeout)) return $"still running after {CaseTimeout.TotalSeconds} s";
        return task.Result;
    }

    private static string? ReadEverything(string path, int seekSeed)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        string? result;
        try
        {
            using var reader = Open(path);
            var buffer = new float[4096 * reader.Info.Channels];
            long frames = 0;
            int got;
            while ((got = reader.Read(buffer)) > 0 && frames < 50_000_000) frames += got / reader.Info.Channels;
            var random = new Random(seekSeed);
            for (int s = 0; s < 3; s++)
            {
                reader.SeekToFrame(random.NextInt64(0, reader.Info.Frames + 1));
                reader.Read(buffer);
            }

            result = null;
        }
        catch (InvalidDataException e) when (e.Message.Contains(Path.GetFileName(path), StringComparison.Ordinal))
        {
            result = "rejected";
        }
        catch (Exception e)
        {
            result = $"{e.GetType().Name}: {e.Message}";
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        return allocated > AllocationCap ? $"allocated {allocated >> 20} MiB ({result ?? "decoded"})" : result;
    }

    /// <summary>The real entry: every decoder is managed, so a crash cannot take the test run down.</summary>
    private static IAudioReader Open(string path) => AudioReaders.Open(path);

    private static (byte[] Bytes, string How) Mutate(byte[] original, Random random)
    {
        var bytes = (byte[])original.Clone();
        int rounds = 1 + random.Next(3);
        var how = new List<string>();
        for (int r = 0; r < rounds; r++)
        {
            int at = random.Next(bytes.Length);
            int headerAt = random.Next(Math.Min(bytes.Length, 128));
            switch (random.Next(8))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    how.Add($"flip@{at}");
                    break;
                case 1:
                    bytes[headerAt] = Interesting8[random.Next(Interesting8.Length)];
                    how.Add($"byte@{headerAt}");
                    break;
                case 2:
                    bytes = bytes[..random.Next(bytes.Length)];
                    how.Add($"cut@{bytes.Length}");
                    break;
                case 3 when headerAt + 4 <= bytes.Length:
                    BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(headerAt), Interesting32[random.Next(Interesting32.Length)]);
                    how.Add($"u32@{headerAt}");
                    break;
                case 4 when headerAt + 2 <= bytes.Length:
                    BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(headerAt), (ushort)Interesting32[random.Next(Interesting32.Length)]);
                    how.Add($"u16@{headerAt}");
                    break;
                case 5:
                    int n = 1 + random.Next(16);
                    var inserted = new byte[n];
                    random.NextBytes(inserted);
                    bytes = [.. bytes[..at], .. inserted, .. bytes[at..]];
                    how.Add($"insert{n}@{at}");
                    break;
                case 6:
                    int m = Math.Min(1 + random.Next(16), bytes.Length - at);
                    bytes = [.. bytes[..at], .. bytes[(at + m)..]];
                    how.Add($"remove{m}@{at}");
                    break;
                default:
                    var sizes = ChunkSizeOffsets(bytes);
                    if (sizes.Count == 0) goto case 0;
                    int size = sizes[random.Next(sizes.Count)];
                    BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(size), Interesting32[random.Next(Interesting32.Length)]);
                    how.Add($"chunksize@{size}");
                    break;
            }

            if (bytes.Length == 0) break;
        }

        return (bytes, string.Join(",", how));
    }

    private static readonly byte[] Interesting8 = [0, 1, 0x7F, 0x80, 0xFF, 0x10, 0x20];

    private static readonly uint[] Interesting32 =
        [0, 1, 2, 3, 7, 8, 16, 17, 18, 24, 40, 64, 65, 100, 999, 1000, 44_100, 768_000, 768_001, 0x7FFF, 0x8000, 0xFFFF, 0x10000, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFE, 0xFFFF_FFFF];

    /// <summary>Offsets of the size fields of the RIFF chunks (and of RIFF itself), found by walking the headers.</summary>
    private static List<int> ChunkSizeOffsets(byte[] bytes)
    {
        var offsets = new List<int>();
        if (bytes.Length < 12 || !(bytes.AsSpan(0, 4).SequenceEqual("RIFF"u8) || bytes.AsSpan(0, 4).SequenceEqual("RF64"u8))) return offsets;
        offsets.Add(4);
        long position = 12;
        while (position + 8 <= bytes.Length && offsets.Count < 32)
        {
            offsets.Add((int)position + 4);
            long size = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan((int)position + 4));
            position += 8 + size + (size % 2);
        }

        return offsets;
    }

    private string Save(string seedFile, int index, string how, byte[] mutant, string problem)
    {
        string folder = Path.Combine(Path.GetTempPath(), "samaudio-fuzz-failures");
        Directory.CreateDirectory(folder);
        string name = $"{Path.GetFileNameWithoutExtension(seedFile)}-{index}{Path.GetExtension(seedFile)}";
        File.WriteAllBytes(Path.Combine(folder, name), mutant);
        output.WriteLine($"{name} ({how}): {problem}");
        return $"{name} ({how}): {problem}";
    }

    private static byte[] SeedBytes(string name) => name switch
    {
        "pcm16-stereo.wav" => TestWav.Build(new WavSpec(16_000, 2, 16), 1600),
        "pcm24-mono.wav" => TestWav.Build(new WavSpec(48_000, 1, 24), 2001),
        "float32-stereo.wav" => TestWav.Build(new WavSpec(44_100, 2, 32, Float: true, Extensible: true), 1500),
        "bwf-bext.wav" => TestWav.Build(new WavSpec(48_000, 1, 16)
        {
            ChunksBeforeData = [("bext", new byte[602]), ("iXML", "<BWFXML/>"u8.ToArray())],
            ChunksAfterData = [("LIST", "INFOICMT\u0004\0\0\0owl\0"u8.ToArray())],
        }, 1200),
        "rf64.wav" => TestWav.Build(new WavSpec(16_000, 2, 16) { Rf64 = true }, 1600),
        _ => File.ReadAllBytes(AudioTestKit.TestFile(name)),
    };

    private static int StableHash(string text) => text.Aggregate(17, (h, c) => unchecked((h * 31) + c));
}
