using SamAudio.Core.Audio;

namespace SamAudio.Core.Pipeline;

/// <summary>
/// An output written at the model's rate, sample for sample as the separator emits it: of the incoming stream it
/// keeps <paramref name="keep"/> samples after the first <paramref name="skip"/> (a shard's context is dropped).
/// </summary>
internal sealed class ModelRateOutput(ISampleWriter writer, int sampleRate, long skip = 0, long keep = long.MaxValue) : IItemOutput
{
    private long _position;

    public void Write(ReadOnlySpan<float> samples)
    {
        long start = _position;
        _position += samples.Length;
        long from = Math.Clamp(skip - start, 0, samples.Length);
        long to = Math.Clamp(skip + keep - start, from, samples.Length);
        if (to > from)
        {
            writer.Write(samples[(int)from..(int)to]);
        }
    }

    public Task<WrittenAudio> CompleteAsync(CancellationToken cancellationToken = default)
    {
        writer.Complete();
        return Task.FromResult(new WrittenAudio(writer.FramesWritten, writer.ClippedSamples, sampleRate, writer.Sha256));
    }

    public void Dispose() => writer.Dispose();
}
