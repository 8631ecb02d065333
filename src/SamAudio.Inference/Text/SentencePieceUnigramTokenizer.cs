using Microsoft.ML.Tokenizers;

namespace SamAudio.Inference.Text;

/// <summary>
/// <c>sentencepiece-unigram</c> tokenizer in T5's convention: no BOS, EOS appended, pad id for padding, at most
/// <see cref="MaxTokens"/> ids. Microsoft.ML.Tokenizers 2.0.1 throws <see cref="IndexOutOfRangeException"/> while
/// constructing a unigram tokenizer whose <c>trainer_spec.bos_id</c> is -1 (it indexes its reverse vocabulary with
/// the BOS id), which is how T5's <c>spiece.model</c> is built. Such a model is loaded through a copy whose BOS id
/// points at the pad (else EOS, else UNK) piece, which never comes out of segmentation; BOS is never emitted, so
/// every id is the one <c>spm_encode</c> gives.
/// </summary>
public sealed class SentencePieceUnigramTokenizer
{
    /// <summary>T5's encoder limit, EOS included.</summary>
    public const int MaxTokens = 512;

    private readonly SentencePieceTokenizer _tokenizer;

    private SentencePieceUnigramTokenizer(SentencePieceTokenizer tokenizer, int eosId, int padId, bool bosPatched)
    {
        _tokenizer = tokenizer;
        EosId = eosId;
        PadId = padId;
        BosPatched = bosPatched;
    }

    public int EosId { get; }

    /// <summary>The pad id (0 for T5); -1 where the model has none.</summary>
    public int PadId { get; }

    /// <summary>Whether the model had no BOS and was loaded through the patched copy.</summary>
    public bool BosPatched { get; }

    /// <summary>Loads a SentencePiece unigram <c>ModelProto</c> (for example <c>spiece.model</c>).</summary>
    public static SentencePieceUnigramTokenizer Load(byte[] model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var spec = SentencePieceTrainerSpec.Read(model);
        if (spec.EosId < 0)
        {
            throw new InvalidDataException("The SentencePiece model has no EOS piece, which T5-style encoding appends.");
        }

        byte[] usable = model;
        bool patched = spec.BosId < 0;
        if (patched)
        {
            var (id, piece) = spec.PadId >= 0 ? (spec.PadId, spec.PadPiece) : (spec.EosId, spec.EosPiece);
            usable = SentencePieceTrainerSpec.WithBos(model, id, piece);
        }

        using var stream = new MemoryStream(usable, writable: false);
        var tokenizer = SentencePieceTokenizer.Create(stream, addBeginningOfSentence: false, addEndOfSentence: true);
        return new SentencePieceUnigramTokenizer(tokenizer, spec.EosId, spec.PadId, patched);
    }

    /// <summary>Ids of <paramref name="text"/> with EOS appended, truncated to <see cref="MaxTokens"/> (EOS kept).</summary>
    public IReadOnlyList<int> EncodeToIds(string text)
    {
        var ids = _tokenizer.EncodeToIds(text, addBeginningOfSentence: false, addEndOfSentence: true);
        if (ids.Count <= MaxTokens)
        {
            return ids;
        }

        var truncated = ids.Take(MaxTokens - 1).ToList();
        truncated.Add(EosId);
        return truncated;
    }
}
