using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using SamAudio.Inference.Packs;
using SamAudio.Inference.Tests.Support;

namespace SamAudio.Inference.Tests.Packs;

public sealed class ModelPackTests
{
    [Fact]
    public void Load_verifies_every_file_and_reports_its_hash()
    {
        var pack = ModelPack.Load(TestPaths.BandMask);

        Assert.Equal("bandmask", pack.Id);
        Assert.Equal("mask", pack.Manifest.Family);
        var file = Assert.Single(pack.Files);
        Assert.Equal("bandmask/separator.onnx", file.Path);
        Assert.Equal(pack.Manifest.Files["separator.onnx"], file.Sha256);
        Assert.Equal(new FileInfo(Path.Combine(TestPaths.BandMask, "separator.onnx")).Length, file.Size);
    }

    [Fact]
    public void Load_refuses_a_file_whose_hash_differs_naming_file_and_both_hashes()
    {
        string folder = TestPaths.CopyOfBandMask();
        string graph = Path.Combine(folder, "separator.onnx");
        File.AppendAllText(graph, " ");

        var e = Assert.Throws<ModelPackException>(() => ModelPack.Load(folder));

        Assert.Equal(ModelPackError.HashMismatch, e.Error);
        Assert.Equal(graph, e.Path);
        Assert.Contains("separator.onnx", e.Message);
        Assert.Contains(ModelPack.ReadManifest(folder).Files["separator.onnx"], e.Message);
    }

    [Fact]
    public void Load_refuses_a_missing_file()
    {
        string folder = TestPaths.CopyOfBandMask();
        File.Delete(Path.Combine(folder, "separator.onnx"));

        var e = Assert.Throws<ModelPackException>(() => ModelPack.Load(folder));

        Assert.Equal(ModelPackError.MissingFile, e.Error);
        Assert.Contains("separator.onnx", e.Message);
    }

    [Theory]
    [InlineData("schema", "\"samaudio.modelpack/v0\"", "schema")]
    [InlineData("family", "\"diffusion\"", "family")]
    [InlineData("overlapSeconds", "10", "overlapSeconds")]
    [InlineData("sampleRate", "\"fast\"", "sampleRate")]
    [InlineData("surprise", "1", "surprise")]
    public void ReadManifest_refuses_a_broken_manifest_naming_the_field(string field, string value, string named)
    {
        string folder = TestPaths.CopyOfBandMask();
        Edit(folder, json => json[field] = JsonNode.Parse(value));

        var e = Assert.Throws<ModelPackException>(() => ModelPack.ReadManifest(folder));

        Assert.Equal(ModelPackError.InvalidManifest, e.Error);
        Assert.Contains("modelpack.json", e.Path);
        Assert.Contains(named, e.Message);
    }

    [Fact]
    public void ReadManifest_refuses_a_file_path_that_leaves_the_pack()
    {
        string folder = TestPaths.CopyOfBandMask();
        Edit(folder, json => json["files"]!["../outside.onnx"] = new string('a', 64));

        var e = Assert.Throws<ModelPackException>(() => ModelPack.ReadManifest(folder));

        Assert.Contains("../outside.onnx", e.Message);
    }

    [Fact]
    public void A_pack_without_activity_settings_leaves_them_to_the_pipeline()
    {
        var pack = ModelPack.Load(TestPaths.BandMask);

        Assert.Null(pack.Manifest.Activity);
        Assert.Null(pack.Describe("cpu", []).Activity);
    }

    [Fact]
    public void A_pack_s_activity_settings_become_the_engine_s_with_their_source_and_calibration()
    {
        string folder = TestPaths.CopyOfBandMask();
        Edit(folder, json => json["activity"] = JsonNode.Parse(ActivitySection));

        var activity = ModelPack.Load(folder).Describe("cpu", []).Activity!;

        Assert.Equal((0.12, -70.0, 0.5, 0.3), (activity.MinEnergyShare, activity.MinLevelDb, activity.MaxGapSeconds, activity.MinRegionSeconds));
        Assert.Equal(0.2, activity.SeedEnergyShare);
        Assert.Equal(0.1, activity.FrameSeconds);
        Assert.Equal("model pack bandmask 1.0.0", activity.Source);
        Assert.Equal("soundscape-val.json", activity.ChosenOn);
        Assert.Equal("share of regions that were true events", activity.Confidence!.Meaning);
        Assert.Equal(0.5, activity.Confidence.Probability(0.3), 12);
    }

    [Theory]
    [InlineData("minEnergyShare", "1.5", "activity.minEnergyShare")]
    [InlineData("minLevelDb", "12", "activity.minLevelDb")]
    [InlineData("maxGapSeconds", "-0.1", "activity.maxGapSeconds")]
    [InlineData("minRegionSeconds", "-1", "activity.minRegionSeconds")]
    [InlineData("seedEnergyShare", "0.05", "activity.seedEnergyShare")]
    [InlineData("seedEnergyShare", "1.2", "activity.seedEnergyShare")]
    [InlineData("chosenOn", "\" \"", "activity.chosenOn")]
    [InlineData("chosenOn", null, "chosenOn")]
    [InlineData("frameSeconds", "0.05", "frameSeconds")]
    [InlineData("confidence", "{\"meaning\": \"m\", \"points\": [[0.2, 0.1], [0.2, 0.5]]}", "activity.confidence.points[1]")]
    [InlineData("confidence", "{\"meaning\": \"m\", \"points\": [[0.2, 0.6], [0.4, 0.5]]}", "activity.confidence.points[1]")]
    [InlineData("confidence", "{\"meaning\": \"m\", \"points\": [[0.2]]}", "activity.confidence.points[0]")]
    [InlineData("confidence", "{\"meaning\": \"m\", \"points\": [[0.2, 1.5]]}", "activity.confidence.points[0]")]
    [InlineData("confidence", "{\"meaning\": \"m\", \"points\": []}", "activity.confidence.points")]
    [InlineData("confidence", "{\"meaning\": \"\", \"points\": [[0.2, 0.5]]}", "activity.confidence.meaning")]
    public void ReadManifest_refuses_bad_activity_settings_naming_the_field(string field, string? value, string named)
    {
        string folder = TestPaths.CopyOfBandMask();
        Edit(folder, json =>
        {
            var activity = JsonNode.Parse(ActivitySection)!;
            if (value is null)
            {
                activity.AsObject().Remove(field);
            }
            else
            {
                activity[field] = JsonNode.Parse(value);
            }

            json["activity"] = activity;
        });

        var e = Assert.Throws<ModelPackException>(() => ModelPack.ReadManifest(folder));

        Assert.Equal(ModelPackError.InvalidManifest, e.Error);
        Assert.Contains(named, e.Message, StringComparison.Ordinal);
    }

    [Trait("Category", "Model")]
    [Fact]
    public async Task Opening_refuses_a_graph_whose_inputs_differ_from_the_pack()
    {
        string folder = TestPaths.CopyOfBandMask();
        Edit(folder, json => json["graphs"]!["separator"]!["inputs"] = new JsonArray("spectrogram", "prompt_embedding"));
        var options = new InferenceOptions { Device = InferenceDevice.Cpu };

        var e = await Assert.ThrowsAsync<ModelPackException>(() => ModelEngines.OpenAsync(new ModelCatalog([]), folder, options, NullLogger.Instance));

        Assert.Equal(ModelPackError.GraphMismatch, e.Error);
        Assert.EndsWith("separator.onnx", e.Path);
        Assert.Contains("missing spectrogram", e.Message);
        Assert.Contains("not declared magnitude", e.Message);
    }

    [Trait("Category", "Model")]
    [Fact]
    public async Task Opening_reports_a_graph_onnx_runtime_cannot_read_as_a_pack_error()
    {
        string folder = TestPaths.CopyOfBandMask();
        string graph = Path.Combine(folder, "separator.onnx");
        File.WriteAllText(graph, "not an onnx graph");
        string hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(graph)));
        Edit(folder, json => json["files"]!["separator.onnx"] = hash);

        var e = await Assert.ThrowsAsync<ModelPackException>(() =>
            ModelEngines.OpenAsync(new ModelCatalog([]), folder, new InferenceOptions { Device = InferenceDevice.Cuda }, NullLogger.Instance));

        Assert.Equal(ModelPackError.Unsupported, e.Error);
        Assert.Equal(graph, e.Path);
    }

    private const string ActivitySection = """
        {
          "minEnergyShare": 0.12, "seedEnergyShare": 0.2, "minLevelDb": -70, "maxGapSeconds": 0.5, "minRegionSeconds": 0.3,
          "chosenOn": "soundscape-val.json",
          "confidence": { "meaning": "share of regions that were true events", "points": [[0.1, 0.2], [0.5, 0.8]] }
        }
        """;

    private static void Edit(string folder, Action<JsonNode> change)
    {
        string path = Path.Combine(folder, ModelPack.ManifestFileName);
        var json = JsonNode.Parse(File.ReadAllText(path))!;
        change(json);
        File.WriteAllText(path, json.ToJsonString());
    }
}
