using SamAudio.Core.Audio;

namespace SamAudio.Cli.Tests;

public sealed class MetadataTests
{
    [Fact]
    public async Task Wildlife_and_archive_metadata_chunks_reach_every_wav_output_unchanged_and_the_original_is_untouched()
    {
        using var dir = new TempFolder();
        var guano = "GUANO|Version:1.0\nMake:Wildlife Acoustics\nLoc Position:45.5 -122.6\n"u8.ToArray();
        var bext = new byte[602];
        "Field recorder, site A"u8.CopyTo(bext);
        using (var writer = WavOutputWriter.Create(dir["site.wav"], 48_000, [new MetadataChunk("bext", bext), new MetadataChunk("guan", guano)]))
        {
            var tone = Enumerable.Range(0, 48_000 * 3).Select(i => (float)(0.3 * Math.Sin(2 * Math.PI * 440 * i / 48_000))).ToArray();
            writer.Write(tone);
            writer.Complete();
        }

        string before = TestRecordings.Sha256Sum(dir["site.wav"]);

        var (code, _, stderr) = await CliRunner.RunAsync(
            "separate", dir["site.wav"], "--prompt", "a tone", "--output", "both", "--model", "passthrough", "--out", dir["out"], "--quiet");

        Assert.True(code == 0, stderr);
        Assert.Equal(before, TestRecordings.Sha256Sum(dir["site.wav"]));
        foreach (var kind in new[] { "target", "residual" })
        {
            using var output = AudioReaders.Open(dir[$"out/site/a-tone.{kind}.wav"]);
            var chunks = output.Info.MetadataChunks.ToDictionary(c => c.Id, c => c.Data);
            Assert.Equal(bext, chunks["bext"]);
            Assert.Equal(guano, chunks["guan"]);
            Assert.Equal(48_000 * 3, output.Info.Frames);
        }
    }
}
