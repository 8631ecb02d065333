using SamAudio.Core.Audio;

namespace SamAudio.Core.Pipeline;

/// <summary>
/// The last stage before an output's writer: a NaN or infinite sample here comes from the model or the signal
/// processing, never from the recording (the input was checked), so the item fails with an
/// <see cref="InvalidOperationException"/> before the output is finished, and nothing becomes visible.
/// </summary>
internal sealed class FiniteOutputCheck(ISampleWriter writer, string outputName, int sampleRate) : ISampleWriter
{
    public long FramesWritten => writer.FramesWritten;

    public long ClippedSamples => writer.ClippedSamples;

    public string? Sha256 => writer.Sha256;

    public void Write(ReadOnlySpan<float> samples)
    {
        for (int i = 0; i < samples.Length; i++)
        {
            if (!float.IsFinite(samples[i]))
            {
                string at = NonFiniteInputCheck.FormatTime((writer.FramesWritten + i) / (double)sampleRate);
                throw new InvalidOperationException(
                    $"the separation produced a non-finite sample ({NonFiniteInputCheck.Kind(samples[i])}) in '{outputName}' at {at} of the output; no output was written. The recording was checked and is finite, so this is a fault in the model or the processing: please report it with run.json.");
            }
        }

        writer.Write(samples);
    }

    public void Complete() => writer.Complete();

    public void Dispose() => writer.Dispose();
}
