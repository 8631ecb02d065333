using Microsoft.ML.Tokenizers;
using SamAudio.Inference.Tests.Support;
using SamAudio.Inference.Text;

namespace SamAudio.Inference.Tests.Text;

/// <summary>Tiny unigram models trained by SentencePiece/Data/make_models.sh; reference ids come from spm_encode.</summary>
public sealed class SentencePieceUnigramTokenizerTests
{
    public static TheoryData<string> Models => new() { "unigram_nobos", "unigram_bos3" };

    [Theory]
    [MemberData(nameof(Models))]
    public void Ids_match_spm_encode_with_eos_appended_and_no_bos(string model)
    {
        var tokenizer = SentencePieceUnigramTokenizer.Load(File.ReadAllBytes(Model(model)));
        string[] prompts = File.ReadAllLines(Path.Combine(TestPaths.SentencePieceData, "test_prompts.txt"));
        string[] expected = File.ReadAllLines(Path.Combine(TestPaths.SentencePieceData, model + ".ids.txt"));

        Assert.Equal(prompts.Length, expected.Length);
        for (int i = 0; i < prompts.Length; i++)
        {
            int[] reference = [.. expected[i].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse), 1];
            Assert.Equal(reference, tokenizer.EncodeToIds(prompts[i]));
        }
    }

    [Fact]
    public void Model_without_bos_loads_through_the_patch_and_keeps_its_special_ids()
    {
        byte[] model = File.ReadAllBytes(Model("unigram_nobos"));

        var tokenizer = SentencePieceUnigramTokenizer.Load(model);
        var spec = SentencePieceTrainerSpec.Read(model);

        Assert.True(tokenizer.BosPatched);
        Assert.Equal((-1, 1, 0, 2), (spec.BosId, spec.EosId, spec.PadId, spec.UnkId));
        Assert.Equal((1, 0), (tokenizer.EosId, tokenizer.PadId));
        Assert.False(SentencePieceUnigramTokenizer.Load(File.ReadAllBytes(Model("unigram_bos3"))).BosPatched);
    }

    [Fact]
    public void Patched_model_reads_back_the_new_bos_and_nothing_else_changes()
    {
        byte[] model = File.ReadAllBytes(Model("unigram_nobos"));

        byte[] patched = SentencePieceTrainerSpec.WithBos(model, 0, "<pad>");

        var before = SentencePieceTrainerSpec.Read(model);
        Assert.Equal(before with { BosId = 0, BosPiece = "<pad>" }, SentencePieceTrainerSpec.Read(patched));
    }

    [Fact]
    public void Library_still_needs_the_workaround_for_models_without_bos()
    {
        // When this fails, Microsoft.ML.Tokenizers loads bos_id = -1 models itself: drop the patch in
        // SentencePieceUnigramTokenizer.Load (the id tests above then prove the plain path).
        using var stream = File.OpenRead(Model("unigram_nobos"));
        Assert.Throws<IndexOutOfRangeException>(() => SentencePieceTokenizer.Create(stream, addBeginningOfSentence: false, addEndOfSentence: true));
    }

    [Fact]
    public void Long_text_is_truncated_to_512_ids_ending_with_eos()
    {
        var tokenizer = SentencePieceUnigramTokenizer.Load(File.ReadAllBytes(Model("unigram_nobos")));

        var ids = tokenizer.EncodeToIds(string.Join(' ', Enumerable.Repeat("the owl hooting in the night forest", 200)));

        Assert.Equal(SentencePieceUnigramTokenizer.MaxTokens, ids.Count);
        Assert.Equal(1, ids[^1]);
    }

    private static string Model(string name) => Path.Combine(TestPaths.SentencePieceData, name + ".model");
}
