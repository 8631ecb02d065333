using SamAudio.Core.Separation;

namespace SamAudio.Inference.Text;

/// <summary>
/// Normalises prompts (<see cref="PromptText.Normalize"/>) and encodes each distinct text once per engine (one run);
/// the batch records the exact texts that were encoded. An embedding depends on its text only, never on the batch.
/// </summary>
internal sealed class PromptEmbeddingCache
{
    /// <summary>Distinct texts kept before the cache starts afresh (a long-lived worker sees many runs).</summary>
    public const int Capacity = 4096;

    private readonly IPromptEncoder _encoder;
    private readonly Dictionary<string, float[]> _embeddings = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public PromptEmbeddingCache(IPromptEncoder encoder) => _encoder = encoder;

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
                    float[] fresh = new float[d];
                    _encoder.Encode([text], fresh, cancellationToken);
                    _embeddings[text] = fresh;
                }
            }

            float[] flat = new float[texts.Length * d];
            for (int i = 0; i < texts.Length; i++)
            {
                _embeddings[texts[i]].CopyTo(flat, i * d);
            }

            return new PromptBatch(texts, flat, [texts.Length, d]);
        }
    }
}
