using NAudio.Wave;

namespace SamAudio.Core.Audio;

/// <summary>
/// Turns interleaved N-channel audio into mono: one channel by index, or the average of all channels
/// (<see cref="ChannelSelection.Mix"/>). A mono source passes through untouched. <see cref="Read"/> returns
/// fewer samples than asked only when the source does; 0 means the end.
/// </summary>
public sealed class ChannelSelector : ISampleProvider
{
    private readonly ISampleProvider source;
    private readonly int channels;
    private readonly int index;
    private float[] scratch = [];

    /// <summary>Selects <paramref name="selection"/> from <paramref name="source"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When the index is not a channel of the source.</exception>
    public ChannelSelector(ISampleProvider source, ChannelSelection selection)
    {
        ArgumentNullException.ThrowIfNull(source);
        channels = source.WaveFormat.Channels;
        if (!selection.IsMix && selection.ChannelIndex >= channels)
        {
            throw new ArgumentOutOfRangeException(nameof(selection), selection,
                $"Channel {selection} does not exist: the recording has {channels} channel(s), numbered from 0.");
        }

        this.source = source;
        Selection = selection;
        index = selection.ChannelIndex;
        WaveFormat = WaveFormat.CreateIeeeFloatWaveFormat(source.WaveFormat.SampleRate, 1);
    }

    /// <summary>What this stage keeps.</summary>
    public ChannelSelection Selection { get; }

    /// <summary>Mono 32-bit float at the source's rate.</summary>
    public WaveFormat WaveFormat { get; }

    /// <summary>Fills <paramref name="buffer"/> with mono samples; returns how many.</summary>
    public int Read(Span<float> buffer)
    {
        if (channels == 1) return source.Read(buffer);
        var wanted = buffer.Length * channels;
        if (scratch.Length < wanted) scratch = new float[wanted]; // sized once for the caller's block size
        var got = 0;
        while (got < wanted)
        {
            var n = source.Read(scratch.AsSpan(got, wanted - got));
            if (n <= 0) break;
            got += n;
            if (got % channels == 0) break; // whole frames in hand; a short read is passed on as short
        }

        var frames = got / channels;
        var input = scratch.AsSpan(0, frames * channels);
        if (Selection.IsMix)
        {
            var scale = 1f / channels;
            for (var f = 0; f < frames; f++)
            {
                var sum = 0f;
                foreach (var sample in input.Slice(f * channels, channels)) sum += sample;
                buffer[f] = sum * scale;
            }
        }
        else
        {
            for (var f = 0; f < frames; f++) buffer[f] = input[(f * channels) + index];
        }

        return frames;
    }
}
