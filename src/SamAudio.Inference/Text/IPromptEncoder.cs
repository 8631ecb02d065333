namespace SamAudio.Inference.Text;

/// <summary>Turns prompt texts into fixed-size embeddings (one row per prompt).</summary>
public interface IPromptEncoder : IDisposable
{
    /// <summary>Embedding width, for example 384 for MiniLM.</summary>
    int Dimension { get; }

    /// <summary>Identity of the encoder and its files, for provenance.</summary>
    IReadOnlyList<SamAudio.Core.Separation.ModelFileHash> Files { get; }

    /// <summary>Encodes <paramref name="texts"/> into <paramref name="destination"/>, row-major [texts.Count, Dimension].</summary>
    void Encode(IReadOnlyList<string> texts, Span<float> destination, CancellationToken cancellationToken = default);
}
