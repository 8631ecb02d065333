using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using SamAudio.Core.Separation;
using SamAudio.Inference.Packs;
using SamAudio.Inference.Tests.Support;
using SamAudio.Inference.Text;

namespace SamAudio.Inference.Tests.Text;

public sealed class PromptVocabularyTests
{
    // Four captions in a 3-d space: two owl wordings close together, a dog, and a siren.
    private static readonly float[][] Rows =
    [
        Unit(1, 0.1f, 0),
        Unit(1, -0.1f, 0),
        Unit(0, 1, 0),
        Unit(0, 0, 1),
    ];

    private static PromptVocabulary Vocabulary(int neighbours = 2, double minSimilarity = 0.55) =>
        new(["an owl hooting", "owl calls", "a dog barking", "a siren"], ["owl", "owl", "dog", "siren"],
            Rows.SelectMany(r => r).ToArray(), 3, neighbours, minSimilarity);

    [Fact]
    public void A_trained_wording_goes_as_written()
    {
        float[] resolved = new float[3];

        var reading = Vocabulary().Resolve(Rows[2], resolved);

        Assert.Equal(PromptInterpretation.Trained, reading.Reading);
        Assert.Equal("dog", reading.Class);
        Assert.Equal(["a dog barking"], reading.Captions);
        Assert.Equal(Rows[2], resolved);
    }

    [Fact]
    public void A_new_wording_is_replaced_by_the_unit_mean_of_its_nearest_captions()
    {
        float[] prompt = Unit(1, 0.05f, 0.4f);
        float[] resolved = new float[3];

        var reading = Vocabulary().Resolve(prompt, resolved);

        Assert.Equal(PromptInterpretation.Neighbours, reading.Reading);
        Assert.Equal("owl", reading.Class);
        Assert.Equal(["an owl hooting", "owl calls"], reading.Captions);
        Assert.Equal(Dot(Rows[0], prompt), reading.Similarity, 4);
        float[] mean = Unit(Rows[0][0] + Rows[1][0], Rows[0][1] + Rows[1][1], 0);
        Assert.All(Enumerable.Range(0, 3), i => Assert.Equal(mean[i], resolved[i], 6));
    }

    [Fact]
    public void A_prompt_like_no_caption_is_unfamiliar_and_goes_as_written()
    {
        float[] prompt = Unit(-1, -1, -0.2f);
        float[] resolved = new float[3];

        var reading = Vocabulary().Resolve(prompt, resolved);

        Assert.Equal(PromptInterpretation.Unfamiliar, reading.Reading);
        Assert.Single(reading.Captions);
        Assert.True(reading.Similarity < 0.55);
        Assert.Equal(prompt, resolved);
    }

    [Fact]
    public void Equal_similarities_rank_by_caption_order()
    {
        float[] between = Unit(0, 1, 1); // as near the dog as the siren
        float[] resolved = new float[3];

        var reading = Vocabulary(neighbours: 1, minSimilarity: 0.1).Resolve(between, resolved);

        Assert.Equal(["a dog barking"], reading.Captions);
    }

    [Fact]
    public void A_pack_vocabulary_loads_and_refuses_embeddings_of_the_wrong_size()
    {
        string folder = PackWithVocabulary(Rows.Take(3).SelectMany(r => r.Concat(new float[381])).ToArray());
        var vocabulary = PromptVocabulary.Load(ModelPack.Load(folder), 384);
        Assert.Equal(3, vocabulary!.Count);

        string broken = PackWithVocabulary(new float[384 * 2]);
        var e = Assert.Throws<ModelPackException>(() => PromptVocabulary.Load(ModelPack.Load(broken), 384));

        Assert.Equal(ModelPackError.InvalidManifest, e.Error);
        Assert.EndsWith("vocabulary.f32", e.Path);
        Assert.Contains("3 captions", e.Message);
    }

    [Fact]
    public void A_pack_vocabulary_refuses_an_embedding_that_is_not_unit_length_naming_the_caption()
    {
        float[] values = Rows.Take(3).SelectMany(r => r.Concat(new float[381])).ToArray();
        values[384] = 2;
        string folder = PackWithVocabulary(values);

        var e = Assert.Throws<ModelPackException>(() => PromptVocabulary.Load(ModelPack.Load(folder), 384));

        Assert.Contains("'owl calls'", e.Message);
    }

    [Theory]
    [InlineData("embeddings", "\"missing.f32\"", "vocabulary.embeddings")]
    [InlineData("neighbours", "0", "vocabulary.neighbours")]
    [InlineData("minSimilarity", "1.5", "vocabulary.minSimilarity")]
    public void The_manifest_refuses_a_broken_vocabulary_naming_the_field(string field, string value, string named)
    {
        string folder = PackWithVocabulary(Rows.Take(3).SelectMany(r => r.Concat(new float[381])).ToArray());
        EditManifest(folder, json => json["vocabulary"]![field] = JsonNode.Parse(value));

        var e = Assert.Throws<ModelPackException>(() => ModelPack.ReadManifest(folder));

        Assert.Equal(ModelPackError.InvalidManifest, e.Error);
        Assert.Contains(named, e.Message);
    }

    /// <summary>A band-mask pack with a three-caption vocabulary (owl, owl, dog) whose embeddings are <paramref name="values"/>.</summary>
    private static string PackWithVocabulary(float[] values)
    {
        string folder = TestPaths.CopyOfBandMask();
        File.WriteAllText(Path.Combine(folder, "vocabulary.json"),
            """{"schema": "samaudio.vocabulary/v1", "classes": [{"id": "owl", "captions": ["an owl hooting", "owl calls"]}, {"id": "dog", "captions": ["a dog barking"]}]}""");
        byte[] bytes = new byte[values.Length * sizeof(float)];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
        }

        File.WriteAllBytes(Path.Combine(folder, "vocabulary.f32"), bytes);
        EditManifest(folder, json =>
        {
            json["vocabulary"] = new JsonObject { ["captions"] = "vocabulary.json", ["embeddings"] = "vocabulary.f32", ["neighbours"] = 3, ["minSimilarity"] = 0.55 };
            foreach (string file in new[] { "vocabulary.json", "vocabulary.f32" })
            {
                json["files"]![file] = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(folder, file))));
            }
        });
        return folder;
    }

    private static void EditManifest(string folder, Action<JsonNode> change)
    {
        string path = Path.Combine(folder, ModelPack.ManifestFileName);
        var json = JsonNode.Parse(File.ReadAllText(path))!;
        change(json);
        File.WriteAllText(path, json.ToJsonString());
    }

    private static float[] Unit(params float[] v)
    {
        float norm = MathF.Sqrt(v.Sum(x => x * x));
        return v.Select(x => x / norm).ToArray();
    }

    private static double Dot(float[] a, float[] b) => a.Select((x, i) => (double)x * b[i]).Sum();
}
