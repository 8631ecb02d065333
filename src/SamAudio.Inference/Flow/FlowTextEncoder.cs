using Microsoft.ML.OnnxRuntime;
using SamAudio.Core.Manifests;
using SamAudio.Core.Separation;
using SamAudio.Inference.Text;

namespace SamAudio.Inference.Flow;

/// <summary>
/// T5-style prompt encoding for the flow family: SentencePiece unigram ids (no BOS, EOS appended) -> the
/// <c>text_encoder</c> graph, one prompt per run (its states never depend on other prompts), each distinct text once
/// per engine. A batch is [P, L, D] with L the longest prompt's token count, zero past each prompt's own length;
/// <see cref="Lengths"/> gives the lengths (the text mask) for a batch's texts.
/// </summary>
internal sealed class FlowTextEncoder : IDisposable
{
    private const int Capacity = 4096;

    private readonly SentencePieceUnigramTokenizer _tokenizer;
    private readonly InferenceSession _session;
    private readonly SessionOptions _options;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly Dictionary<string, float[]> _states = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public FlowTextEncoder(SentencePieceUnigramTokenizer tokenizer, InferenceSession session, SessionOptions options, int dimension)
    {
        _tokenizer = tokenizer;
        _session = session;
        _options = options;
        Dimension = dimension;
        var graph = FlowContract.Graphs[FlowContract.TextEncoder];
        _inputNames = graph.Inputs.Select(v => v.Name).ToArray();
        _outputNames = [graph.Outputs[0].Name];
    }

    public int Dimension { get; }

    public PromptBatch Encode(IReadOnlyList<string> prompts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentOutOfRangeException.ThrowIfZero(prompts.Count, nameof(prompts));
        string[] texts = prompts.Select(PromptText.Normalize).ToArray();
        if (Array.FindIndex(texts, t => t.Length == 0) is var empty and >= 0)
        {
            throw new ArgumentException($"Prompt {empty} is empty after whitespace is trimmed.", nameof(prompts));
        }

        lock (_gate)
        {
            if (_states.Count + texts.Length > Capacity)
            {
                _states.Clear();
            }

            foreach (string text in texts)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!_states.ContainsKey(text))
                {
                    _states[text] = EncodeOne(text);
                }
            }

            int longest = texts.Max(t => _states[t].Length / Dimension);
            float[] flat = new float[texts.Length * longest * Dimension];
            for (int i = 0; i < texts.Length; i++)
            {
                _states[texts[i]].CopyTo(flat, i * longest * Dimension);
            }

            return new PromptBatch(texts, flat, [texts.Length, longest, Dimension]);
        }
    }

    /// <summary>Token count of each text of a batch from <see cref="Encode"/>.</summary>
    public int[] Lengths(PromptBatch batch)
    {
        lock (_gate)
        {
            return batch.Texts.Select(t => _states.TryGetValue(t, out var s)
                ? s.Length / Dimension
                : throw new ArgumentException($"Prompt '{t}' was not encoded by this engine.", nameof(batch))).ToArray();
        }
    }

    private float[] EncodeOne(string text)
    {
        long[] ids = _tokenizer.EncodeToIds(text).Select(i => (long)i).ToArray();
        long[] mask = Enumerable.Repeat(1L, ids.Length).ToArray();
        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, [1, ids.Length]);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, [1, mask.Length]);
        using var runOptions = new RunOptions();
        using var outputs = _session.Run(runOptions, _inputNames, [idsValue, maskValue], _outputNames);
        var states = outputs[0].GetTensorDataAsSpan<float>();
        if (states.Length != ids.Length * Dimension)
        {
            throw new InvalidOperationException($"text_encoder gave {states.Length} values for {ids.Length} tokens of width {Dimension}.");
        }

        return states.ToArray();
    }

    public void Dispose()
    {
        _session.Dispose();
        _options.Dispose();
    }
}
