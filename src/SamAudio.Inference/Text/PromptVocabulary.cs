using System.Buffers.Binary;
using System.Numerics.Tensors;
using System.Text.Json;
using SamAudio.Core.Dsp;
using SamAudio.Core.Separation;
using SamAudio.Inference.Packs;

namespace SamAudio.Inference.Text;

/// <summary>
/// The captions a pack's separator was trained on, with their embeddings. A small separator learns the points of its
/// training captions, not the whole sentence space around them: a prompt worded in a new way ("owl hoots") lands off
/// those points and gets a weaker mask than a trained wording of the same sound. So a prompt is read here first:
/// worded as a trained caption, it goes as written; otherwise, when it is near enough to some caption, the mean of its
/// <see cref="VocabularySpec.Neighbours"/> nearest captions stands in for it; otherwise it goes as written and is
/// marked unfamiliar. Every reading is recorded in the run's provenance.
/// </summary>
internal sealed class PromptVocabulary
{
    public const string Schema = "samaudio.vocabulary/v1";

    /// <summary>Cosine similarity from which a prompt counts as a trained caption (texts that differ only in case).</summary>
    public const double TrainedSimilarity = 0.9999;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    private readonly string[] _captions;
    private readonly string[] _classes;
    private readonly float[] _embeddings;
    private readonly int _dimension;
    private readonly int _neighbours;
    private readonly double _minSimilarity;

    internal PromptVocabulary(string[] captions, string[] classes, float[] embeddings, int dimension, int neighbours, double minSimilarity)
    {
        _captions = captions;
        _classes = classes;
        _embeddings = embeddings;
        _dimension = dimension;
        _neighbours = Math.Min(neighbours, captions.Length);
        _minSimilarity = minSimilarity;
    }

    public int Count => _captions.Length;

    /// <summary>The pack's vocabulary, or null when its manifest declares none.</summary>
    /// <exception cref="ModelPackException">The caption file or the embeddings break the contract.</exception>
    public static PromptVocabulary? Load(ModelPack pack, int dimension)
    {
        ArgumentNullException.ThrowIfNull(pack);
        if (pack.Manifest.Vocabulary is not { } spec)
        {
            return null;
        }

        string captionsPath = pack.PathOf(spec.Captions);
        VocabularyFile? file;
        try
        {
            file = JsonSerializer.Deserialize<VocabularyFile>(File.ReadAllText(captionsPath), Json);
        }
        catch (JsonException e)
        {
            throw new ModelPackException(ModelPackError.InvalidManifest, captionsPath, e.Message);
        }

        if (file is null || file.Schema != Schema || file.Classes.Count == 0 || file.Classes.Any(c => c.Captions.Count == 0))
        {
            throw new ModelPackException(ModelPackError.InvalidManifest, captionsPath,
                $"schema must be '{Schema}' with at least one class, and every class needs at least one caption.");
        }

        string[] captions = file.Classes.SelectMany(c => c.Captions).ToArray();
        string[] classes = file.Classes.SelectMany(c => c.Captions.Select(_ => c.Id)).ToArray();
        string embeddingsPath = pack.PathOf(spec.Embeddings);
        float[] embeddings = ReadEmbeddings(embeddingsPath, captions, dimension);
        return new PromptVocabulary(captions, classes, embeddings, dimension, spec.Neighbours, spec.MinSimilarity);
    }

    /// <summary>
    /// Reads <paramref name="embedding"/> (a unit-length prompt embedding) and writes what the separator is to be given
    /// into <paramref name="resolved"/>. Deterministic: equal similarities are ranked by caption order.
    /// </summary>
    public PromptInterpretation Resolve(ReadOnlySpan<float> embedding, Span<float> resolved)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(embedding.Length, _dimension, nameof(embedding));
        ArgumentOutOfRangeException.ThrowIfNotEqual(resolved.Length, _dimension, nameof(resolved));
        int[] nearest = Nearest(embedding, out double[] similarity);
        int first = nearest[0];
        if (similarity[0] >= TrainedSimilarity || similarity[0] < _minSimilarity)
        {
            embedding.CopyTo(resolved);
            string reading = similarity[0] >= TrainedSimilarity ? PromptInterpretation.Trained : PromptInterpretation.Unfamiliar;
            return new PromptInterpretation(reading, _classes[first], Math.Round(similarity[0], 4), [_captions[first]]);
        }

        resolved.Clear();
        foreach (int i in nearest)
        {
            TensorPrimitives.Add(resolved, Row(i), resolved);
        }

        TensorPrimitives.Divide(resolved, OrderedSum.Norm(resolved), resolved);
        return new PromptInterpretation(PromptInterpretation.Neighbours, _classes[first], Math.Round(similarity[0], 4), nearest.Select(i => _captions[i]).ToArray());
    }

    /// <summary>The <see cref="_neighbours"/> most similar captions, most similar first, and their similarities.</summary>
    private int[] Nearest(ReadOnlySpan<float> embedding, out double[] similarity)
    {
        double[] all = new double[_captions.Length];
        for (int i = 0; i < all.Length; i++)
        {
            all[i] = OrderedSum.Dot(Row(i), embedding);
        }

        int[] nearest = Enumerable.Range(0, all.Length).OrderByDescending(i => all[i]).ThenBy(i => i).Take(_neighbours).ToArray();
        similarity = nearest.Select(i => all[i]).ToArray();
        return nearest;
    }

    private ReadOnlySpan<float> Row(int i) => _embeddings.AsSpan(i * _dimension, _dimension);

    private static float[] ReadEmbeddings(string path, string[] captions, int dimension)
    {
        byte[] bytes = File.ReadAllBytes(path);
        long expected = (long)captions.Length * dimension * sizeof(float);
        if (bytes.LongLength != expected)
        {
            throw new ModelPackException(ModelPackError.InvalidManifest, path,
                $"{bytes.LongLength} bytes, but {captions.Length} captions of {dimension} float32 values need {expected}; export the pack again.");
        }

        float[] values = new float[captions.Length * dimension];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * sizeof(float)));
        }

        for (int i = 0; i < captions.Length; i++)
        {
            float norm = OrderedSum.Norm(values.AsSpan(i * dimension, dimension));
            if (!(Math.Abs(norm - 1) < 1e-3))
            {
                throw new ModelPackException(ModelPackError.InvalidManifest, path,
                    $"the embedding of caption {i} ('{captions[i]}') has length {norm}, not 1; the text encoder's embeddings are unit length.");
            }
        }

        return values;
    }

    private sealed record VocabularyFile(string Schema, IReadOnlyList<VocabularyClass> Classes);

    private sealed record VocabularyClass(string Id, IReadOnlyList<string> Captions);
}
