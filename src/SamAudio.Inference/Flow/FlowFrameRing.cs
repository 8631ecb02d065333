namespace SamAudio.Inference.Flow;

/// <summary>
/// One ODE quantity (the state at one stage of the solve) for every prompt, [prompts][frames][channels], kept for a
/// sliding range of frames: frame <c>f</c> of prompt <c>p</c> is row <c>p * Capacity + f mod Capacity</c>. The caller
/// keeps the frames it still needs within <see cref="Capacity"/> of each other (<see cref="FlowMultiDiffusion"/>
/// checks before each write).
/// </summary>
internal sealed class FlowFrameRing
{
    private readonly float[] _data;

    public FlowFrameRing(int prompts, int capacity, int channels)
    {
        Prompts = prompts;
        Capacity = capacity;
        Channels = channels;
        _data = new float[(long)prompts * capacity * channels];
    }

    public int Prompts { get; }

    public int Capacity { get; }

    public int Channels { get; }

    /// <summary>Bytes held, whatever the length of the span.</summary>
    public long Bytes => (long)_data.Length * sizeof(float);

    /// <summary>The row of one frame of one prompt.</summary>
    public Span<float> Row(int prompt, long frame) =>
        _data.AsSpan(((prompt * Capacity) + (int)(frame % Capacity)) * Channels, Channels);

    /// <summary>Up to <paramref name="count"/> frames from <paramref name="frame"/> that are contiguous in the ring; <paramref name="taken"/> says how many.</summary>
    public Span<float> Run(int prompt, long frame, long count, out int taken)
    {
        int at = (int)(frame % Capacity);
        taken = (int)Math.Min(count, Capacity - at);
        return _data.AsSpan(((prompt * Capacity) + at) * Channels, taken * Channels);
    }

    /// <summary>Copies frames [<paramref name="frame"/>, +<paramref name="count"/>) of every prompt to <paramref name="destination"/> ([prompts, count, channels]).</summary>
    public void CopyTo(long frame, int count, Span<float> destination)
    {
        for (int p = 0; p < Prompts; p++)
        {
            var to = destination.Slice(p * count * Channels, count * Channels);
            for (int done = 0; done < count;)
            {
                var run = Run(p, frame + done, count - done, out int n);
                run.CopyTo(to[(done * Channels)..]);
                done += n;
            }
        }
    }
}
