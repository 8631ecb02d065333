using System.Numerics.Tensors;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Tokenizers;
using SamAudio.Core.Dsp;
using SamAudio.Core.Separation;

namespace SamAudio.Inference.Text;

/// <summary>
/// <c>bert-wordpiece</c> prompt encoder: all-MiniLM-L6-v2 tokenized by <see cref="BertTokenizer"/>, run by our own
/// <see cref="InferenceSession"/>, mean-pooled over the attention mask and L2-normalised to 384 values.
/// </summary>
internal sealed class MiniLmPromptEncoder : IPromptEncoder
{
    /// <summary>The sentence-transformers configuration truncates at 256 word pieces.</summary>
    public const int MaxTokens = 256;

    private readonly BertTokenizer _tokenizer;
    private readonly InferenceSession _session;
    private readonly SessionOptions _sessionOptions;
    private readonly bool _wantsTokenTypes;

    /// <summary>Opens the MiniLM graph with <paramref name="sessionOptions"/>; this encoder then owns both.</summary>
    public MiniLmPromptEncoder(MiniLmResources resources, SessionOptions sessionOptions)
        : this(resources, new InferenceSession(resources.ModelPath, sessionOptions), sessionOptions)
    {
    }

    /// <summary>Wraps an opened MiniLM <paramref name="session"/>; this encoder owns it and its options.</summary>
    public MiniLmPromptEncoder(MiniLmResources resources, InferenceSession session, SessionOptions sessionOptions)
    {
        ArgumentNullException.ThrowIfNull(resources);
        _sessionOptions = sessionOptions;
        _session = session;
        using (var vocab = new MemoryStream(resources.Vocab, writable: false))
        {
            _tokenizer = BertTokenizer.Create(vocab, new BertOptions { LowerCaseBeforeTokenization = true });
        }

        _wantsTokenTypes = _session.InputMetadata.ContainsKey("token_type_ids");
        Dimension = _session.OutputMetadata.First().Value.Dimensions[^1];
        Files =
        [
            new ModelFileHash(MiniLmResources.Source + "#" + MiniLmResources.ModelResource, MiniLmResources.ModelSha256, resources.ModelLength),
            new ModelFileHash(MiniLmResources.Source + "#" + MiniLmResources.VocabResource, resources.VocabSha256, resources.Vocab.LongLength),
        ];
    }

    public int Dimension { get; }

    public IReadOnlyList<ModelFileHash> Files { get; }

    /// <summary>Word-piece ids with [CLS] and [SEP], truncated to <see cref="MaxTokens"/>.</summary>
    public IReadOnlyList<int> Tokenize(string text)
    {
        var ids = _tokenizer.EncodeToIds(text);
        if (ids.Count <= MaxTokens)
        {
            return ids;
        }

        var truncated = ids.Take(MaxTokens - 1).ToList();
        truncated.Add(_tokenizer.SeparatorTokenId);
        return truncated;
    }

    public void Encode(IReadOnlyList<string> texts, Span<float> destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        int count = texts.Count;
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, count * Dimension, nameof(destination));
        if (count == 0)
        {
            return;
        }

        var tokenized = texts.Select(Tokenize).ToArray();
        int length = tokenized.Max(t => t.Count);
        long[] ids = new long[count * length];
        long[] mask = new long[count * length];
        for (int s = 0; s < count; s++)
        {
            for (int i = 0; i < tokenized[s].Count; i++)
            {
                ids[(s * length) + i] = tokenized[s][i];
                mask[(s * length) + i] = 1;
            }
        }

        long[] shape = [count, length];
        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, shape);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, shape);
        using var typesValue = OrtValue.CreateTensorValueFromMemory(new long[count * length], shape);
        var inputs = new Dictionary<string, OrtValue> { ["input_ids"] = idsValue, ["attention_mask"] = maskValue };
        if (_wantsTokenTypes)
        {
            inputs["token_type_ids"] = typesValue;
        }

        using var runOptions = new RunOptions();
        using var registration = cancellationToken.Register(() => runOptions.Terminate = true);
        using var outputs = _session.Run(runOptions, inputs, [_session.OutputNames[0]]);
        cancellationToken.ThrowIfCancellationRequested();
        var hidden = outputs[0].GetTensorDataAsSpan<float>();
        MeanPoolAndNormalize(hidden, tokenized, length, destination);
    }

    private void MeanPoolAndNormalize(ReadOnlySpan<float> hidden, IReadOnlyList<int>[] tokenized, int length, Span<float> destination)
    {
        int d = Dimension;
        for (int s = 0; s < tokenized.Length; s++)
        {
            var row = destination.Slice(s * d, d);
            row.Clear();
            int tokens = tokenized[s].Count;
            for (int i = 0; i < tokens; i++)
            {
                TensorPrimitives.Add(row, hidden.Slice(((s * length) + i) * d, d), row);
            }

            TensorPrimitives.Divide(row, tokens, row);
            float norm = OrderedSum.Norm(row);
            TensorPrimitives.Divide(row, Math.Max(norm, 1e-12f), row);
        }
    }

    public void Dispose()
    {
        _session.Dispose();
        _sessionOptions.Dispose();
    }
}
