using Microsoft.ML.OnnxRuntime;
using SamAudio.Inference.Text;

namespace SamAudio.Inference.Bench;

/// <summary>Embeds anchor texts with the product's MiniLM encoder.</summary>
internal static class Anchors
{
    public static float[][] Embed(string[] texts)
    {
        using var encoder = new MiniLmPromptEncoder(MiniLmResources.ReadDefault(), new SessionOptions());
        float[] flat = new float[texts.Length * encoder.Dimension];
        encoder.Encode(texts, flat);
        return texts.Select((_, i) => flat.AsSpan(i * encoder.Dimension, encoder.Dimension).ToArray()).ToArray();
    }
}
