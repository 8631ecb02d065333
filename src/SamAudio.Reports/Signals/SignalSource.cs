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
    private readonly Func<long, CancellationToken, Task<SignalReader>> _open;

    private SignalSource(string description, int sampleRate, long frames, Func<long, CancellationToken, Task<SignalReader>> open)
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
    public Task<SignalReader> OpenAtAsync(long frame, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(frame);
        return _open(Math.Min(frame, Frames), cancellationToken);
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
        Range(_ => Task.FromResult(AudioReaders.Open(path)), description, channel, startFrame, endFrame, sampleRate);

    /// <summary>
    /// A whole output read from streams <paramref name="open"/> gives (a new seekable one per reader, owned by it); the
    /// first is opened here to learn the length. Null when <paramref name="open"/> finds nothing.
    /// </summary>
    public static async Task<SignalSource?> FromStreamAsync(Func<CancellationToken, Task<Stream?>> open, string name, string description, CancellationToken cancellationToken = default)
    {
        if (await open(cancellationToken).ConfigureAwait(false) is not { } stream) return null;
        long frames;
        int rate;
        using (var probe = AudioReaders.Open(stream, name))
        {
            frames = probe.Info.Frames;
            rate = probe.Info.SampleRate;
        }

        return FromStream(open, name, description, ChannelSelection.Mix, 0, frames, rate);
    }

    /// <summary>Frames <paramref name="startFrame"/> to <paramref name="endFrame"/> of a recording read from streams <paramref name="open"/> gives.</summary>
    public static SignalSource FromStream(Func<CancellationToken, Task<Stream?>> open, string name, string description, ChannelSelection channel, long startFrame, long endFrame, int sampleRate) =>
        Range(
            async ct => AudioReaders.Open(await open(ct).ConfigureAwait(false) ?? throw new IOException($"'{name}' can no longer be read."), name),
            description, channel, startFrame, endFrame, sampleRate);

    private static SignalSource Range(Func<CancellationToken, Task<IAudioReader>> openReader, string description, ChannelSelection channel, long startFrame, long endFrame, int sampleRate) =>
        new(description, sampleRate, endFrame - startFrame, async (offset, ct) =>
        {
            var reader = await openReader(ct).ConfigureAwait(false);
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
        return new(description, a.SampleRate, frames, async (offset, ct) =>
        {
            var first = await a.OpenAtAsync(offset, ct).ConfigureAwait(false);
            try
            {
                var second = await b.OpenAtAsync(offset, ct).ConfigureAwait(false);
                return new SignalReader(new SumProvider(first, second), new Both(first, second), frames - offset);
            }
            catch
            {
                first.Dispose();
                throw;
            }
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
