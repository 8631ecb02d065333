using NAudio.Wave;

namespace SamAudio.Core.Pipeline;

/// <summary>Passes on at most <c>frames</c> frames of interleaved samples from its source, then ends.</summary>
internal sealed class FrameRangeSource : ISampleProvider
{
    private readonly ISampleProvider _source;
    private long _remainingSamples;

    public FrameRangeSource(ISampleProvider source, long frames)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegative(frames);
        _source = source;
        _remainingSamples = frames * source.WaveFormat.Channels;
    }

    public WaveFormat WaveFormat => _source.WaveFormat;

    public int Read(Span<float> buffer)
    {
        if (_remainingSamples <= 0)
        {
            return 0;
        }

        int want = (int)Math.Min(buffer.Length, _remainingSamples);
        int n = _source.Read(buffer[..want]);
        _remainingSamples -= n;
        return n;
    }
}
