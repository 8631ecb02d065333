using SamAudio.Core.Audio;

namespace SamAudio.Core.Pipeline;

/// <summary>An output written at the model's rate, sample for sample as the separator emits it.</summary>
internal sealed class ModelRateOutput(WavOutputWriter writer, int sampleRate) : IItemOutput
{
    public void Write(ReadOnlySpan<float> samples) => writer.Write(samples);

    public Task<WrittenAudio> CompleteAsync(CancellationToken cancellationToken = default)
    {
        writer.Complete();
        return Task.FromResult(new WrittenAudio(writer.FramesWritten, writer.ClippedSamples, sampleRate));
    }

    public void Dispose() => writer.Dispose();
}
