using SamAudio.Core.Pipeline;
using SamAudio.Core.Provenance;
using SamAudio.Core.Separation;
using SamAudio.Core.Tests.Audio;

namespace SamAudio.Core.Tests.Pipeline;

/// <summary>A local run checks a FLAC recording against its own MD5 before any output becomes visible.</summary>
public sealed class RecordingIntegrityTests : IDisposable
{
    private readonly TempDir temp = new();

    [Theory]
    [InlineData(null, null)]
    [InlineData(0.2, 0.6)] // a time range: not a whole sequential decode, so a second pass
    public async Task A_good_flac_is_verified_and_recorded_in_run_json(double? start, double? end)
    {
        var (record, folder) = await RunAsync("variable20.flac", start, end);

        Assert.Equal("completed", record.Status);
        Assert.Equal(new SamAudio.Core.Audio.IntegrityCheck("flac-md5", "verified"), record.Input?.Integrity);
        var json = await File.ReadAllTextAsync(Path.Combine(folder, "run.json"));
        Assert.Contains("\"integrity\": {", json);
        Assert.Contains("\"method\": \"flac-md5\"", json);
        Assert.Contains("\"result\": \"verified\"", json);
        Assert.Contains(Directory.GetFiles(folder), f => f.EndsWith(".target.wav", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_flac_whose_audio_does_not_match_its_md5_fails_with_no_output()
    {
        var (record, folder) = await RunAsync("variable20-wrong-md5.flac", null, null);

        Assert.Equal("failed", record.Status);
        Assert.Contains("does not match the MD5 its encoder stored", record.Error);
        Assert.Equal(["run.json"], Directory.GetFiles(folder).Select(Path.GetFileName));
    }

    public void Dispose() => temp.Dispose();

    private async Task<(RunRecord Record, string Folder)> RunAsync(string file, double? start, double? end)
    {
        var folder = temp.File("out");
        var request = new SeparationRequest
        {
            JobId = "job",
            ItemId = "item",
            RecordingPath = FlacReaderTests.Fixture(file),
            RecordingLabel = file,
            Prompts = [new ItemPrompt("rain", "rain", true, false)],
            Start = start is { } s ? TimeSpan.FromSeconds(s) : null,
            End = end is { } e ? TimeSpan.FromSeconds(e) : null,
            SegmentSeconds = 0.25,
            OverlapSeconds = 0.05,
            OutputFolder = folder,
            Fingerprint = "test",
        };
        await using var engine = new PassThroughEngine(16_000, segmentSeconds: 0.25, overlapSeconds: 0.05);
        return (await new RecordingSeparator(engine).RunAsync(request), folder);
    }
}
