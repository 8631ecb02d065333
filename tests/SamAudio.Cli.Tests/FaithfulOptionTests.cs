using System.Text.Json;

namespace SamAudio.Cli.Tests;

/// <summary>
/// <c>--faithful</c> on separate and batch, and a forensic manifest's default, reach the run: run.json says
/// <c>parameters.mode</c> faithful or direct, and the fingerprint tells the two apart.
/// </summary>
public sealed class FaithfulOptionTests
{
    [Theory]
    [InlineData(false, "direct")]
    [InlineData(true, "faithful")]
    public async Task Separate_records_the_mode_it_ran_in(bool faithful, string mode)
    {
        using var dir = new TempFolder();
        TestRecordings.Make(dir["a.wav"], new RecordingFormat(44_100, 2, SampleEncoding.Pcm16), 2);
        string[] args = ["separate", dir["a.wav"], "-p", "tone", "--output", "both", "--out", dir["out"], "--model", "passthrough", "--quiet"];

        var (code, _, stderr) = await CliRunner.RunAsync(faithful ? [.. args, "--faithful"] : args);

        Assert.True(code == 0, stderr);
        Assert.Equal(mode, Mode(dir["out/a/run.json"]));
    }

    [Fact]
    public async Task Batch_items_are_faithful_when_forensic_or_asked_and_the_fingerprint_says_so()
    {
        using var dir = new TempFolder();
        TestRecordings.Make(dir["a.wav"], new RecordingFormat(48_000, 1, SampleEncoding.Pcm16), 2);
        File.WriteAllText(dir["manifest.json"], """
            { "schema": "samaudio.manifest/v1", "jobId": "j", "defaults": { "prompts": ["tone"], "output": "both" },
              "items": [ { "id": "general", "recording": "a.wav" },
                         { "id": "forensic", "recording": "a.wav", "purpose": "forensic" },
                         { "id": "asked", "recording": "a.wav", "faithful": true } ] }
            """);

        var (code, _, stderr) = await CliRunner.RunAsync("batch", dir["manifest.json"], "--out", dir["out"], "--model", "passthrough", "--quiet");
        Assert.True(code == 0, stderr);
        Assert.Equal(["direct", "faithful", "faithful"], new[] { "general", "forensic", "asked" }.Select(i => Mode(dir[$"out/j/{i}/run.json"])));
        Assert.NotEqual(Fingerprint(dir["out/j/general/run.json"]), Fingerprint(dir["out/j/asked/run.json"]));
        Assert.Equal(Fingerprint(dir["out/j/forensic/run.json"]), Fingerprint(dir["out/j/asked/run.json"]));

        (code, _, stderr) = await CliRunner.RunAsync("batch", dir["manifest.json"], "--out", dir["all"], "--model", "passthrough", "--faithful", "--quiet");
        Assert.True(code == 0, stderr);
        Assert.Equal("faithful", Mode(dir["all/j/general/run.json"]));
    }

    private static string Mode(string runJson)
    {
        using var run = JsonDocument.Parse(File.ReadAllText(runJson));
        return run.RootElement.GetProperty("parameters").GetProperty("mode").GetString()!;
    }

    private static string Fingerprint(string runJson)
    {
        using var run = JsonDocument.Parse(File.ReadAllText(runJson));
        return run.RootElement.GetProperty("fingerprint").GetString()!;
    }
}
