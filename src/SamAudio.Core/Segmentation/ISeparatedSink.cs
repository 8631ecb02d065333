namespace SamAudio.Core.Segmentation;

/// <summary>
/// Receives finished samples of every prompt in timeline order, in chunks of at most one hop.
/// Chunks never overlap and together hold exactly the input's length.
/// </summary>
public interface ISeparatedSink
{
    /// <summary>
    /// Takes one chunk of <paramref name="count"/> samples. <paramref name="targets"/> and
    /// <paramref name="residuals"/> are prompt-major: prompt <c>p</c> is <c>Slice(p * count, count)</c>.
    /// The spans are valid only during the call.
    /// </summary>
    void Write(ReadOnlySpan<float> mixture, ReadOnlySpan<float> targets, ReadOnlySpan<float> residuals, int count);
}
