using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SamAudio.Inference.Packs;
using SamAudio.Inference.Runtime;

namespace SamAudio.Inference.Flow;

/// <summary>
/// The four graphs of a <c>flow</c>-family pack (SAM-Audio), mirrored from <c>models/sam-audio/graph_contract.py</c>:
/// names, element types and shapes (-1 for a dynamic axis, <see cref="TextDim"/> for the pack's text width). The
/// export tool and the miniature pack generator write graphs to that module; change both together.
/// </summary>
internal static class FlowContract
{
    public const int SampleRate = 48_000;

    /// <summary>Samples per latent frame (DACVAE): 25 frames/s at 48 kHz.</summary>
    public const int Hop = 1920;

    public const int LatentChannels = 128;

    /// <summary>Target latent (0-127) and residual latent (128-255).</summary>
    public const int StateChannels = 2 * LatentChannels;

    /// <summary>Placeholder in <see cref="Graphs"/> for <c>textEncoder.dimension</c>.</summary>
    public const int TextDim = -2;

    public const string TextEncoder = "text_encoder";
    public const string CodecEncoder = "codec_encoder";
    public const string DitVelocity = "dit_velocity";
    public const string CodecDecoder = "codec_decoder";

    /// <summary>dit_velocity's optional anchor inputs (span prompts): [B, A] ids and [B, T] alignment.</summary>
    public const string AnchorIds = "anchor_ids";

    public const string AnchorAlignment = "anchor_alignment";

    /// <summary>
    /// Trailing inputs a graph may lack, all together: a pack made before span prompts has a dit_velocity with
    /// upstream's text-only anchors built in, and takes no span prompts.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string[]> OptionalInputs = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        [DitVelocity] = [AnchorIds, AnchorAlignment],
    };

    private const TensorElementType F32 = TensorElementType.Float;
    private const TensorElementType I64 = TensorElementType.Int64;

    public static readonly IReadOnlyDictionary<string, GraphValues> Graphs = new Dictionary<string, GraphValues>(StringComparer.Ordinal)
    {
        [TextEncoder] = new(
            [new("input_ids", I64, [-1, -1]), new("attention_mask", I64, [-1, -1])],
            [new("text_features", F32, [-1, -1, TextDim])]),
        [CodecEncoder] = new(
            [new("waveform", F32, [-1, 1, -1])],
            [new("latent", F32, [-1, -1, LatentChannels])]),
        [DitVelocity] = new(
            [new("noisy_latent", F32, [-1, -1, StateChannels]), new("time", F32, [-1]), new("audio_features", F32, [-1, -1, LatentChannels]),
             new("text_features", F32, [-1, -1, TextDim]), new("text_mask", I64, [-1, -1]),
             new(AnchorIds, I64, [-1, -1]), new(AnchorAlignment, I64, [-1, -1])],
            [new("velocity", F32, [-1, -1, StateChannels])]),
        [CodecDecoder] = new(
            [new("latent", F32, [-1, -1, LatentChannels])],
            [new("waveform", F32, [-1, 1, -1])]),
    };

    /// <summary>The first way a flow-family manifest breaks the contract, as a sentence naming the field; or null.</summary>
    public static string? FirstProblem(ModelPackManifest m)
    {
        if (m.SampleRate != SampleRate)
        {
            return $"sampleRate {m.SampleRate} must be {SampleRate} for the flow family.";
        }

        var encoder = m.TextEncoder;
        if (encoder.Kind != "sentencepiece-unigram" || encoder.Tokenizer is null || encoder.Graph != TextEncoder)
        {
            return $"textEncoder must be kind 'sentencepiece-unigram' with a tokenizer file and graph '{TextEncoder}' for the flow family.";
        }

        foreach (var (name, values) in Graphs)
        {
            if (!m.Graphs.TryGetValue(name, out var graph))
            {
                return $"a flow-family pack needs a graph named '{name}'.";
            }

            string[] inputs = values.Inputs.Select(v => v.Name).ToArray();
            string[] required = Required(name, inputs);
            string[] outputs = values.Outputs.Select(v => v.Name).ToArray();
            bool inputsFit = graph.Inputs.SequenceEqual(inputs, StringComparer.Ordinal) || graph.Inputs.SequenceEqual(required, StringComparer.Ordinal);
            if (!inputsFit || !graph.Outputs.SequenceEqual(outputs, StringComparer.Ordinal))
            {
                string without = required.Length == inputs.Length ? "" : $" (or without {string.Join(", ", inputs[required.Length..])})";
                return $"graphs.{name} must have inputs [{string.Join(", ", inputs)}]{without} and outputs [{string.Join(", ", outputs)}].";
            }
        }

        return null;
    }

    /// <summary>Checks an opened graph against the contract; errors name <paramref name="path"/>.</summary>
    /// <exception cref="ModelPackException"><see cref="ModelPackError.GraphMismatch"/>: a name, type or shape differs.</exception>
    public static void Verify(InferenceSession session, string graph, GraphSpec spec, int textDim, string path)
    {
        GraphContract.Verify(session, spec, path);
        var values = Graphs[graph];
        foreach (var value in values.Inputs.Where(v => session.InputNames.Contains(v.Name)).Concat(values.Outputs))
        {
            int[] shape = value.Shape.Select(d => d == TextDim ? textDim : d).ToArray();
            GraphContract.VerifyShape(session, value.Name, value.Type, shape, path);
        }
    }

    /// <summary>The inputs of <paramref name="graph"/> without its <see cref="OptionalInputs"/>.</summary>
    private static string[] Required(string graph, string[] inputs) =>
        OptionalInputs.TryGetValue(graph, out var optional) ? inputs.Except(optional, StringComparer.Ordinal).ToArray() : inputs;
}

/// <summary>One graph's inputs and outputs in order.</summary>
internal sealed record GraphValues(IReadOnlyList<ValueContract> Inputs, IReadOnlyList<ValueContract> Outputs);

/// <summary>A graph input or output: name, element type and shape (-1 where any size is accepted).</summary>
internal sealed record ValueContract(string Name, TensorElementType Type, int[] Shape);
