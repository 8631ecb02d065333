using SamAudio.Core.Manifests;
using SamAudio.Core.Separation;

namespace SamAudio.Inference.Text;

/// <summary>
/// Normalises prompts (<see cref="PromptText.Normalize"/>) and encodes each distinct text once per engine (one run);
/// the batch records the exact texts that were encoded. An embedding depends on its text only, never on the batch.
/// With a <see cref="PromptVocabulary"/>, each embedding is read against the trained captions first and the batch
/// carries what the separator is given and how each prompt was read.
/// </summary>
internal sealed class PromptEmbeddingCache
{
    /// <summary>Distinct texts kept before the cache starts afresh (a long-lived worker sees many runs).</summary>
    public const int Capacity = 4096;

    private readonly IPromptEncoder _encoder;
    private readonly PromptVocabulary? _vocabulary;
    private readonly Dictionary<string, (float[] Embedding, PromptInterpretation? Reading)> _embeddings = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public PromptEmbeddingCache(IPromptEncoder encoder, PromptVocabulary? vocabulary = null)
    {
        _encoder = encoder;
        _vocabulary = vocabulary;
    }

    /// <summary>How many distinct texts have been encoded so far.</summary>
    public int Count => _embeddings.Count;

    public PromptBatch Encode(IReadOnlyList<string> prompts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        if (prompts.Count == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(prompts), "At least one prompt is needed.");
        }

        string[] texts = prompts.Select(PromptText.Normalize).ToArray();
        if (Array.FindIndex(texts, t => t.Length == 0) is var empty and >= 0)
        {
            throw new ArgumentException($"Prompt {empty} is empty after whitespace is trimmed.", nameof(prompts));
        }

        int d = _encoder.Dimension;
        lock (_gate)
        {
            if (_embeddings.Count + texts.Length > Capacity)
            {
                _embeddings.Clear();
            }

            foreach (string text in texts)
            {
                // One text per call: padding in a mixed batch would change the low bits of an embedding, and a
                // prompt's embedding must depend on its text alone.
                if (!_embeddings.ContainsKey(text))
                {
                    _embeddings[text] = EncodeOne(text, cancellationToken);
                }
            }

            float[] flat = new float[texts.Length * d];
            for (int i = 0; i < texts.Length; i++)
            {
                _embeddings[texts[i]].Embedding.CopyTo(flat, i * d);
            }

            var readings = _vocabulary is null ? null : texts.Select(t => _embeddings[t].Reading!).ToArray();
            return new PromptBatch(texts, flat, [texts.Length, d], readings);
        }
    }

    private (float[] Embedding, PromptInterpretation? Reading) EncodeOne(string text, CancellationToken cancellationToken)
    {
        float[] encoded = new float[_encoder.Dimension];
        _encoder.Encode([text], encoded, cancellationToken);
        if (_vocabulary is null)
        {
            return (encoded, null);
        }

        float[] resolved = new float[encoded.Length];
        var reading = _vocabulary.Resolve(encoded, resolved);
        return (resolved, reading);
    }
}
