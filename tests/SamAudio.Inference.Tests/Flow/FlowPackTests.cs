using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using SamAudio.Inference.Packs;
using SamAudio.Inference.Tests.Support;

namespace SamAudio.Inference.Tests.Flow;

[Trait("Category", "Model")]
public sealed class FlowPackTests
{
    private static readonly InferenceOptions Cpu = new() { Device = InferenceDevice.Cpu, Seed = 3, Steps = 5 };

    [Fact]
    public async Task The_tiny_pack_opens_through_the_checks_a_real_pack_goes_through()
    {
        var pack = ModelPack.Load(TestPaths.SamAudioTiny);
        await using var engine = await ModelEngines.OpenAsync(new ModelCatalog([]), TestPaths.SamAudioTiny, Cpu, NullLogger.Instance);

        Assert.Equal("flow", pack.Manifest.Family);
        Assert.Equal(5, pack.Files.Count); // four graphs and spiece.model, all hash-checked
        var d = engine.Description;
        Assert.Equal(("sam-audio-tiny", "flow", 48_000), (d.ModelId, d.Family, d.SampleRate));
        Assert.Equal("3", d.Sampler!["seed"]);
        Assert.Equal("5", d.Sampler["steps"]);
        Assert.Equal("midpoint", d.Sampler["method"]);
    }

    [Fact]
    public async Task A_graph_with_another_input_name_is_refused_naming_the_graph_file()
    {
        string folder = TestPaths.CopyOf(TestPaths.SamAudioTiny);
        string graph = Path.Combine(folder, "dit_velocity.onnx");
        // Same length, so the protobuf stays valid: the graph's input (and the nodes reading it) get another name.
        Replace(graph, "noisy_latent", "noisy_latenX");

        var e = await Assert.ThrowsAsync<ModelPackException>(() => ModelEngines.OpenAsync(new ModelCatalog([]), folder, Cpu, NullLogger.Instance));

        Assert.Equal(ModelPackError.GraphMismatch, e.Error);
        Assert.Equal(graph, e.Path);
        Assert.Contains("noisy_latenX", e.Message);
    }

    [Fact]
    public async Task A_graph_with_another_input_dtype_is_refused_naming_the_graph_file()
    {
        string folder = TestPaths.CopyOf(TestPaths.SamAudioTiny);
        string graph = Path.Combine(folder, "text_encoder.onnx");
        File.Copy(Path.Combine(TestPaths.FlowData, "text_encoder.float_mask.onnx"), graph, overwrite: true);
        Rehash(folder, "text_encoder.onnx");

        var e = await Assert.ThrowsAsync<ModelPackException>(() => ModelEngines.OpenAsync(new ModelCatalog([]), folder, Cpu, NullLogger.Instance));

        Assert.Equal(ModelPackError.GraphMismatch, e.Error);
        Assert.Equal(graph, e.Path);
        Assert.Contains("attention_mask", e.Message);
        Assert.Contains("Int64", e.Message);
    }

    [Fact]
    public void A_graph_whose_hash_differs_is_refused_naming_the_file()
    {
        string folder = TestPaths.CopyOf(TestPaths.SamAudioTiny);
        string graph = Path.Combine(folder, "codec_decoder.onnx");
        File.AppendAllText(graph, " ");

        var e = Assert.Throws<ModelPackException>(() => ModelPack.Load(folder));

        Assert.Equal(ModelPackError.HashMismatch, e.Error);
        Assert.Equal(graph, e.Path);
    }

    [Fact]
    public void A_manifest_declaring_other_names_than_the_contract_is_refused()
    {
        string folder = TestPaths.CopyOf(TestPaths.SamAudioTiny);
        string path = Path.Combine(folder, ModelPack.ManifestFileName);
        var json = JsonNode.Parse(File.ReadAllText(path))!;
        json["graphs"]!["dit_velocity"]!["inputs"]![0] = "noisy";
        File.WriteAllText(path, json.ToJsonString());

        var e = Assert.Throws<ModelPackException>(() => ModelPack.Load(folder));

        Assert.Equal(ModelPackError.InvalidManifest, e.Error);
        Assert.Contains("graphs.dit_velocity", e.Message);
    }

    private static void Replace(string file, string from, string to)
    {
        byte[] bytes = File.ReadAllBytes(file);
        byte[] a = Encoding.ASCII.GetBytes(from), b = Encoding.ASCII.GetBytes(to);
        int count = 0;
        for (int i = 0; i + a.Length <= bytes.Length; i++)
        {
            if (bytes.AsSpan(i, a.Length).SequenceEqual(a))
            {
                b.CopyTo(bytes, i);
                count++;
            }
        }

        Assert.True(count > 0);
        File.WriteAllBytes(file, bytes);
        Rehash(Path.GetDirectoryName(file)!, Path.GetFileName(file));
    }

    private static void Rehash(string folder, string name)
    {
        string path = Path.Combine(folder, ModelPack.ManifestFileName);
        var json = JsonNode.Parse(File.ReadAllText(path))!;
        json["files"]![name] = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(folder, name))));
        File.WriteAllText(path, json.ToJsonString());
    }
}
