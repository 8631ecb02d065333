using System.Text.Json;

namespace SamAudio.Cli.Tests;

/// <summary>
/// <c>--seed</c>, <c>--steps</c> and the manifest's <c>seed</c> / <c>steps</c> reach a flow-family model (the tiny
/// SAM-Audio pack): an item's own seed wins over <c>--seed</c>, the same seed gives the same bytes, and run.json says so.
/// </summary>
[Trait("Category", "Model")]
public sealed class SamplerOptionTests
{
    private static readonly string TinyPack = RepositoryPaths.Of("models", "testpacks", "sam-audio-tiny");

    [Fact]
    public async Task Batch_items_get_their_own_seed_else_the_command_s_and_the_same_seed_gives_the_same_bytes()
    {
        using var dir = new TempFolder();
        TestWavWriter.Write(dir["a.wav"], new RecordingFormat(48_000, 1, SampleEncoding.Float32), TestSignals.PinkNoise(48_000, 0.5, 0.1, seed: 4));
        File.WriteAllText(dir["manifest.json"], """
            { "schema": "samaudio.manifest/v1", "jobId": "seeds", "defaults": { "prompts": ["owl"], "steps": 2 },
              "items": [ { "id": "five", "recording": "a.wav", "seed": 5 },
                         { "id": "cli", "recording": "a.wav" },
                         { "id": "five-again", "recording": "a.wav", "seed": 5, "steps": 2 } ] }
            """);

        var (code, _, stderr) = await CliRunner.RunAsync("batch", dir["manifest.json"], "--out", dir["out"], "--model", TinyPack, "--seed", "9", "--device", "cpu", "--quiet");

        Assert.True(code == 0, stderr);
        byte[] five = File.ReadAllBytes(dir["out/seeds/five/owl.target.wav"]);
        Assert.Equal(five, File.ReadAllBytes(dir["out/seeds/five-again/owl.target.wav"]));
        Assert.NotEqual(five, File.ReadAllBytes(dir["out/seeds/cli/owl.target.wav"]));
        Assert.Equal((5, "5", "2"), Sampler(dir["out/seeds/five/run.json"]));
        Assert.Equal((9, "9", "2"), Sampler(dir["out/seeds/cli/run.json"]));
    }

    [Theory]
    [InlineData("--seed", "-1", "--seed must be a whole number from 0 to 2147483647")]
    [InlineData("--steps", "0", "--steps must be a whole number from 1 to 1000")]
    [InlineData("--steps", "1001", "--steps must be a whole number from 1 to 1000")]
    public async Task Out_of_range_seed_or_steps_is_refused_before_anything_runs(string option, string value, string message)
    {
        using var dir = new TempFolder();
        TestWavWriter.Write(dir["a.wav"], new RecordingFormat(48_000, 1, SampleEncoding.Float32), TestSignals.PinkNoise(48_000, 0.2, 0.1, seed: 4));

        var (code, _, stderr) = await CliRunner.RunAsync("separate", dir["a.wav"], "-p", "owl", "--out", dir["out"], "--model", TinyPack, option, value);

        Assert.NotEqual(0, code);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir["out"]));
    }

    [Fact]
    public async Task Separate_records_the_steps_it_ran_with()
    {
        using var dir = new TempFolder();
        TestWavWriter.Write(dir["a.wav"], new RecordingFormat(48_000, 1, SampleEncoding.Float32), TestSignals.PinkNoise(48_000, 0.2, 0.1, seed: 4));

        var (code, _, stderr) = await CliRunner.RunAsync("separate", dir["a.wav"], "-p", "owl", "--out", dir["out"], "--model", TinyPack, "--seed", "3", "--steps", "3", "--device", "cpu", "--quiet");

        Assert.True(code == 0, stderr);
        Assert.Equal((3, "3", "3"), Sampler(dir["out/a/run.json"]));
    }

    private static (int Seed, string SamplerSeed, string SamplerSteps) Sampler(string runJson)
    {
        using var run = JsonDocument.Parse(File.ReadAllText(runJson));
        var sampler = run.RootElement.GetProperty("model").GetProperty("sampler");
        return (run.RootElement.GetProperty("parameters").GetProperty("seed").GetInt32(),
            sampler.GetProperty("seed").GetString()!, sampler.GetProperty("steps").GetString()!);
    }
}
