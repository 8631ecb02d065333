using System.Text.Json;
using System.Text.Json.Nodes;
using SamAudio.Inference.Packs;

namespace SamAudio.Cli.Tests;

/// <summary>
/// <c>samaudio eval --tune-activity</c> on a small soundscape: 200 Hz calls ("low rumble", which the band-mask test pack
/// keeps) at known spans over a 4 kHz bed it removes, and the same prompt on the bed alone (an absent sound).
/// </summary>
[Trait("Category", "Model")]
public sealed class TuneActivityTests
{
    private const int Rate = 16_000;
    private const double Seconds = 30;
    private static readonly (double Start, double End)[] Calls = [(5, 6), (12, 12.5), (20, 22)];

    [Fact]
    public async Task Tuning_writes_settings_in_the_pack_s_shape_that_a_pack_then_runs_with()
    {
        using var dir = new TempFolder();
        WriteSoundscape(dir);

        var (code, _, stderr) = await CliRunner.RunAsync("eval", dir["eval.json"], "--model", "bandmask", "--json", "--tune-activity", dir["activity.json"]);

        Assert.True(code == 0, stderr);
        Assert.Contains("activity settings chosen on 1 prompt(s) with events and 1 absent, 2352 candidates", stderr, StringComparison.Ordinal);
        var tuned = JsonNode.Parse(File.ReadAllText(dir["activity.json"]))!.AsObject();
        var search = tuned["search"]!;
        var top = search["top"]!.AsArray();
        Assert.Equal(10, top.Count);
        // The clean calls are all found and the bed gives no region: the chosen settings are the first in grid order
        // with F1 1 and no false region, as good as the defaults or better.
        Assert.Equal(1.0, top[0]!["f1"]!.GetValue<double>());
        Assert.Equal(0.0, top[0]!["falseRegionsPerHour"]!.GetValue<double>());
        Assert.True(top[0]!["f1"]!.GetValue<double>() >= search["defaults"]!["f1"]!.GetValue<double>());
        Assert.Equal(top[0]!["minEnergyShare"]!.GetValue<double>(), tuned["minEnergyShare"]!.GetValue<double>());
        Assert.StartsWith($"{Path.GetFileName(Path.GetDirectoryName(dir["eval.json"]))}/eval.json: 1 soundscape prompt(s) with 3 events and 1 prompt(s) of absent sounds", tuned["chosenOn"]!.GetValue<string>(), StringComparison.Ordinal);
        // Every region the chosen settings find is a true call: the calibration says so.
        Assert.All(tuned["confidence"]!["points"]!.AsArray(), p => Assert.Equal(1.0, p![1]!.GetValue<double>()));

        // Pasted into a pack (without "search"), the settings load and make that pack's activity tables.
        tuned.Remove("search");
        string pack = CopyOfBandMask(dir, tuned);
        Assert.Equal(tuned["minRegionSeconds"]!.GetValue<double>(), ModelPack.Load(pack).Describe("cpu", []).Activity!.MinRegionSeconds);
        (code, _, stderr) = await CliRunner.RunAsync("separate", dir["scape.wav"], "--prompt", "low rumble", "--model", pack, "--out", dir["out"], "--json");
        Assert.True(code == 0, stderr);
        using var run = JsonDocument.Parse(File.ReadAllText(dir["out/scape/run.json"]));
        var activity = run.RootElement.GetProperty("parameters").GetProperty("activity");
        Assert.Equal("model pack bandmask 1.0.0", activity.GetProperty("source").GetString());
        Assert.Equal(tuned["chosenOn"]!.GetValue<string>(), activity.GetProperty("chosenOn").GetString());
        var regions = File.ReadAllLines(dir["out/scape/low-rumble.activity.csv"]).Skip(1).ToList();
        Assert.Equal(Calls.Length, regions.Count);
        Assert.All(regions, r => Assert.EndsWith(",1.000", r, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Tuning_refuses_an_eval_file_without_soundscape_items()
    {
        using var dir = new TempFolder();
        File.WriteAllText(dir["eval.json"], """{ "schema": "samaudio.eval/v1", "items": [ { "mixture": "mix.wav", "prompt": "a", "reference": "ref.wav" } ] }""");

        var (code, _, stderr) = await CliRunner.RunAsync("eval", dir["eval.json"], "--tune-activity", dir["activity.json"]);

        Assert.NotEqual(0, code);
        Assert.Contains("--tune-activity: the eval file has no soundscape items", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(dir["activity.json"]));
    }

    /// <summary>The soundscape, the calls alone (the reference), the bed alone, their events and <c>eval.json</c>.</summary>
    private static void WriteSoundscape(TempFolder dir)
    {
        var bed = TestSignals.Sine(Rate, Seconds, 4000, 0.1);
        var calls = TestSignals.Sine(Rate, Seconds, 200, 0.2);
        for (int i = 0; i < calls.Length; i++)
        {
            double t = i / (double)Rate;
            if (!Calls.Any(c => t >= c.Start && t < c.End))
            {
                calls[i] = 0;
            }
        }

        var format = new RecordingFormat(Rate, 1, SampleEncoding.Float32);
        TestWavWriter.Write(dir["scape.wav"], format, TestSignals.Sum(bed, calls));
        TestWavWriter.Write(dir["calls.wav"], format, calls);
        TestWavWriter.Write(dir["bed.wav"], format, bed);
        File.WriteAllLines(dir["events.csv"], ["class,start,end", .. Calls.Select(c => FormattableString.Invariant($"rumble,{c.Start},{c.End}"))]);
        File.WriteAllText(dir["eval.json"], """
            { "schema": "samaudio.eval/v1", "items": [
              { "mixture": "scape.wav", "prompt": "low rumble", "reference": "calls.wav", "class": "rumble", "events": "events.csv" },
              { "mixture": "bed.wav", "prompt": "low rumble", "class": "thunder", "events": "events.csv" }
            ] }
            """);
    }

    /// <summary>A copy of the band-mask test pack whose <c>modelpack.json</c> carries <paramref name="activity"/>.</summary>
    private static string CopyOfBandMask(TempFolder dir, JsonObject activity)
    {
        string source = RepositoryPaths.Of("models", "testpacks", "bandmask");
        string folder = dir["pack"];
        Directory.CreateDirectory(folder);
        foreach (string file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, ModelPack.ManifestFileName)))!;
        manifest["activity"] = activity.DeepClone();
        File.WriteAllText(Path.Combine(folder, ModelPack.ManifestFileName), manifest.ToJsonString());
        return folder;
    }
}
