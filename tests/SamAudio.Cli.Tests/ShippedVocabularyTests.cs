using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using SamAudio.Core.Separation;
using SamAudio.Inference;

namespace SamAudio.Cli.Tests;

/// <summary>
/// samaudio-mini's prompt vocabulary (its training captions and their embeddings): it must hold exactly what the
/// text encoder gives for those captions, never a held-out caption (those measure unseen wording in the eval set),
/// and every run must record how its prompts were read.
/// </summary>
[Trait("Category", "Model")]
public sealed class ShippedVocabularyTests
{
    [Fact]
    public async Task Every_vocabulary_caption_reads_as_trained_so_the_shipped_embeddings_are_the_encoders()
    {
        string[] captions = VocabularyClasses().SelectMany(c => c.Captions).ToArray();
        await using var engine = await ModelEngines.OpenAsync("samaudio-mini", new InferenceOptions { Device = InferenceDevice.Cpu }, NullLogger.Instance);

        var batch = await engine.EncodePromptsAsync(captions);

        Assert.NotNull(batch.Interpretations);
        var misread = captions.Where((c, i) => batch.Interpretations[i].Reading != PromptInterpretation.Trained || batch.Interpretations[i].Captions[0] != c).ToList();
        Assert.True(misread.Count == 0, $"{misread.Count} captions do not read as themselves, e.g. '{misread.FirstOrDefault()}': re-export the pack");
    }

    [Fact]
    public void The_vocabulary_holds_the_training_captions_of_every_class_and_no_held_out_caption()
    {
        using var training = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.Of("models", "training", "captions.json")));
        var vocabulary = VocabularyClasses().ToDictionary(c => c.Id, c => c.Captions);

        foreach (var entry in training.RootElement.EnumerateObject())
        {
            Assert.Equal(entry.Value.GetProperty("train").EnumerateArray().Select(c => c.GetString()!), vocabulary[entry.Name]);
            var heldOut = entry.Value.GetProperty("heldout").EnumerateArray().Select(c => c.GetString()!);
            Assert.Empty(heldOut.Intersect(vocabulary.Values.SelectMany(c => c)));
        }

        Assert.Equal(training.RootElement.EnumerateObject().Count(), vocabulary.Count);
    }

    [Fact]
    public async Task A_run_records_how_each_prompt_was_read_and_warns_of_an_unfamiliar_one()
    {
        using var dir = new TempFolder();
        string sample = RepositoryPaths.Of("samples", "dog-and-piano.flac");

        var (code, _, stderr) = await CliRunner.RunAsync(
            "separate", sample, "--prompt", "a dog barking", "--prompt", "a barking hound", "--prompt", "a tractor",
            "--model", "samaudio-mini", "--out", dir["out"]);

        Assert.True(code == 0, stderr);
        using var run = JsonDocument.Parse(File.ReadAllText(dir["out/dog-and-piano/run.json"]));
        var readings = run.RootElement.GetProperty("prompts").EnumerateArray().Select(p => p.GetProperty("interpretation")).ToList();
        Assert.Equal(["trained", "neighbours", "unfamiliar"], readings.Select(r => r.GetProperty("reading").GetString()));
        Assert.Equal("dog", readings[1].GetProperty("class").GetString());
        Assert.Equal(3, readings[1].GetProperty("captions").GetArrayLength());
        string warning = Assert.Single(run.RootElement.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!), w => w.Contains("a tractor"));
        Assert.Contains("unlike every sound samaudio-mini was trained on", warning);
        Assert.Contains(warning, stderr);
    }

    private static IEnumerable<(string Id, string[] Captions)> VocabularyClasses()
    {
        using var file = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.Of("models", "samaudio-mini", "vocabulary.json")));
        return file.RootElement.GetProperty("classes").EnumerateArray()
            .Select(c => (c.GetProperty("id").GetString()!, c.GetProperty("captions").EnumerateArray().Select(x => x.GetString()!).ToArray()))
            .ToList();
    }
}
