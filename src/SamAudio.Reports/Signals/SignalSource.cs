using NAudio.Wave;
using SamAudio.Core.Audio;

namespace SamAudio.Reports.Signals;

/// <summary>
/// A mono signal a report looks at, readable from any frame: an output WAV of an item, the item's time range of the
/// input recording (channel selected or mixed as the run did), or the sum of two outputs (target + residual stands in
/// for the mixture when the recording is not at hand). Only a reader's block is ever in memory.
/// </summary>
internal sealed class SignalSource
{
    private readonly Func<long, SignalReader> _open;

    private SignalSource(string description, int sampleRate, long frames, Func<long, SignalReader> open)
    {
        Description = description;
        SampleRate = sampleRate;
        Frames = frames;
        _open = open;
    }

    /// <summary>Where the samples come from, in words, for the report.</summary>
    public string Description { get; }

    public int SampleRate { get; }

    /// <summary>Frames from the item's first frame to its last.</summary>
    public long Frames { get; }

    /// <summary>A reader positioned at <paramref name="frame"/> (counted from the item's first frame); the caller disposes it.</summary>
    public SignalReader OpenAt(long frame)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(frame);
        return _open(Math.Min(frame, Frames));
    }

    /// <summary>A whole output file (mono float WAV written by the pipeline).</summary>
    public static SignalSource FromFile(string path, string description)
    {
        long frames;
        int rate;
        using (var probe = AudioReaders.Open(path))
        {
            frames = probe.Info.Frames;
            rate = probe.Info.SampleRate;
        }

        return FromRecording(path, description, ChannelSelection.Mix, 0, frames, rate);
    }

    /// <summary>Frames <paramref name="startFrame"/> to <paramref name="endFrame"/> of a recording, as the run selected its channel.</summary>
    public static SignalSource FromRecording(string path, string description, ChannelSelection channel, long startFrame, long endFrame, int sampleRate) =>
        new(description, sampleRate, endFrame - startFrame, offset =>
        {
            var reader = AudioReaders.Open(path);
            try
            {
                reader.SeekToFrame(startFrame + offset);
                return new SignalReader(new ChannelSelector(reader, channel), reader, endFrame - startFrame - offset);
            }
            catch
            {
                reader.Dispose();
                throw;
            }
        });

    /// <summary>The sample-by-sample sum of two signals of the same rate (the shorter one ends the sum).</summary>
    public static SignalSource Sum(SignalSource a, SignalSource b, string description)
    {
        if (a.SampleRate != b.SampleRate)
        {
            throw new ArgumentException($"Cannot add signals at {a.SampleRate} Hz and {b.SampleRate} Hz.", nameof(b));
        }

        long frames = Math.Min(a.Frames, b.Frames);
        return new(description, a.SampleRate, frames, offset =>
        {
            var first = a.OpenAt(offset);
            var second = b.OpenAt(offset);
            return new SignalReader(new SumProvider(first, second), new Both(first, second), frames - offset);
        });
    }

    private sealed class SumProvider(SignalReader a, SignalReader b) : ISampleProvider
    {
        private float[] _scratch = [];

        public WaveFormat WaveFormat => a.Provider.WaveFormat;

        public int Read(Span<float> buffer)
        {
            if (_scratch.Length < buffer.Length) _scratch = new float[buffer.Length];
            int n = a.ReadFully(buffer);
            int m = b.ReadFully(_scratch.AsSpan(0, n));
            System.Numerics.Tensors.TensorPrimitives.Add(buffer[..m], _scratch.AsSpan(0, m), buffer[..m]);
            return m;
        }
    }

    private sealed class Both(IDisposable a, IDisposable b) : IDisposable
    {
        public void Dispose()
        {
            a.Dispose();
            b.Dispose();
        }
    }
}
