using SamAudio.Core.Audio;

namespace SamAudio.Core.Pipeline;

/// <summary>
/// One file of an <see cref="IPromptOutputs"/> (its target or its residual): samples go in through the owner's
/// <see cref="IPromptOutputs.Write"/> only, and the file is finished once the owner's shared pump is
/// (<paramref name="pumped"/>), when its own writer completes.
/// </summary>
internal sealed class PromptOutputPart(IPromptOutputs owner, Func<Task> pumped, ISampleWriter writer, int sampleRate) : IItemOutput
{
    public void Write(ReadOnlySpan<float> samples) =>
        throw new InvalidOperationException($"a prompt's target and residual take their samples together ({owner.GetType().Name}.Write)");

    public async Task<WrittenAudio> CompleteAsync(CancellationToken cancellationToken = default)
    {
        await pumped().WaitAsync(cancellationToken).ConfigureAwait(false);
        writer.Complete();
        return new WrittenAudio(writer.FramesWritten, writer.ClippedSamples, sampleRate, writer.Sha256);
    }

    public void Dispose() => owner.Dispose();
}
