using System.Text.Json;

namespace SamAudio.Cli.Tests;

[Trait("Category", "Model")]
public sealed class EvalCommandTests
{
    private const int Rate = 16_000;

    [Fact]
    public async Task Eval_scores_isolation_against_references_and_absent_prompts_by_leftover_energy()
    {
        using var dir = new TempFolder();
        Write(dir["mix.wav"], TestSignals.Sum(Sine(10, 200), Sine(10, 4000)));
        Write(dir["low.wav"], Sine(10, 200));
        Write(dir["silence.wav"], new float[Rate * 10]);

        using var result = await EvalAsync(dir, "bandmask", """
            { "mixture": "mix.wav", "prompt": "low rumble", "reference": "low.wav", "class": "rumble" },
            { "mixture": "mix.wav", "prompt": "high hiss", "reference": "silence.wav", "class": "absent-check" }
            """);

        var items = result.RootElement.GetProperty("items");
        // The band mask keeps the 200 Hz tone: far better than the mixture (which is 0 dB SI-SDR against it).
        Assert.True(items[0].GetProperty("siSdri").GetDouble() > 15, items[0].ToString());
        Assert.Equal(items[0].GetProperty("siSdri").GetDouble(), result.RootElement.GetProperty("meanSiSdri").GetDouble(), 3);
        // "high hiss" keeps the 4 kHz tone, half of the mixture's energy; its reference is silent, so it is scored by energy.
        Assert.Equal(-3.0, items[1].GetProperty("absentEnergyDb").GetDouble(), 0);
        Assert.Equal(2, result.RootElement.GetProperty("perClass").GetArrayLength());
    }

    [Fact]
    public async Task Eval_reports_how_the_model_read_each_prompt()
    {
        using var dir = new TempFolder();
        Write(dir["mix.wav"], TestSignals.PinkNoise(Rate, 10, 0.05, seed: 1));
        Write(dir["silence.wav"], new float[Rate * 10]);

        using var result = await EvalAsync(dir, "samaudio-mini", """
            { "mixture": "mix.wav", "prompt": "a barking hound", "reference": "silence.wav", "class": "dog" },
            { "mixture": "mix.wav", "prompt": "a dog barking", "reference": "silence.wav", "class": "dog" }
            """);

        var items = result.RootElement.GetProperty("items");
        Assert.Equal("neighbours", items[0].GetProperty("reading").GetString());
        Assert.Equal("trained", items[1].GetProperty("reading").GetString());
        Assert.All(items.EnumerateArray(), i => Assert.Equal("dog", i.GetProperty("readAs").GetString()));
    }

    [Fact]
    public async Task Eval_with_the_pass_through_model_improves_nothing()
    {
        using var dir = new TempFolder();
        Write(dir["mix.wav"], TestSignals.Sum(Sine(3, 200), Sine(3, 4000)));
        Write(dir["low.wav"], Sine(3, 200));

        using var result = await EvalAsync(dir, "passthrough", """{ "mixture": "mix.wav", "prompt": "anything", "reference": "low.wav" }""");

        Assert.Equal(0.0, result.RootElement.GetProperty("meanSiSdri").GetDouble(), 2);
    }

    [Fact]
    public async Task Eval_at_another_rate_puts_the_pipeline_s_resampling_in_the_score()
    {
        using var dir = new TempFolder();
        Write(dir["low.wav"], Sine(3, 200));
        File.WriteAllText(dir["eval.json"], """{ "schema": "samaudio.eval/v1", "items": [ { "mixture": "low.wav", "prompt": "anything", "reference": "low.wav" } ] }""");

        double native = await SiSdrAsync();
        double at48k = await SiSdrAsync("--rate", "48000");

        // At its own 16 kHz the pass-through gives the mixture back to float rounding. At 48 kHz the mixture goes down to
        // the model's 16 kHz and back up through two 100 dB low-passes: the score is the round trip's, far below rounding.
        Assert.True(native > 130, $"{native} dB");
        Assert.InRange(at48k, 60, 110);

        async Task<double> SiSdrAsync(params string[] options)
        {
            var (code, stdout, stderr) = await CliRunner.RunAsync(["eval", dir["eval.json"], "--model", "passthrough", "--json", .. options]);
            Assert.True(code == 0, stderr);
            using var result = JsonDocument.Parse(stdout);
            return result.RootElement.GetProperty("items")[0].GetProperty("siSdr").GetDouble();
        }
    }

    [Fact]
    public async Task Eval_refuses_a_rate_no_recording_has()
    {
        using var dir = new TempFolder();
        File.WriteAllText(dir["eval.json"], """{ "schema": "samaudio.eval/v1", "items": [] }""");

        var (code, _, stderr) = await CliRunner.RunAsync("eval", dir["eval.json"], "--rate", "100");

        Assert.NotEqual(0, code);
        Assert.Contains("--rate must be between 8000 and 384000 Hz", stderr, StringComparison.Ordinal);
    }

    /// <summary>A tone of peak 0.2 at the tests' rate: two of them make a mixture in which each holds half the energy.</summary>
    private static float[] Sine(double seconds, double hz) => TestSignals.Sine(Rate, seconds, hz, 0.2);

    /// <summary>Writes a mono 16-bit WAV at the tests' rate.</summary>
    private static void Write(string path, float[] samples) =>
        TestWavWriter.Write(path, new RecordingFormat(Rate, 1, SampleEncoding.Pcm16), samples);

    /// <summary>Writes <c>eval.json</c> with <paramref name="items"/> in <paramref name="dir"/>, runs <c>samaudio eval --json</c>, and parses what it printed.</summary>
    private static async Task<JsonDocument> EvalAsync(TempFolder dir, string model, string items)
    {
        File.WriteAllText(dir["eval.json"], $$"""{ "schema": "samaudio.eval/v1", "items": [ {{items}} ] }""");

        var (code, stdout, stderr) = await CliRunner.RunAsync("eval", dir["eval.json"], "--model", model, "--json");

        Assert.True(code == 0, stderr);
        return JsonDocument.Parse(stdout);
    }
}
