namespace SamAudio.Core.Activity;

/// <summary>Energy of one analysis frame: the sums of squared target and mixture samples, and how many samples.</summary>
public readonly record struct ActivityFrame(double TargetEnergy, double MixtureEnergy, int Samples);

/// <summary>
/// Cuts a target and its mixture into analysis frames of <see cref="ActivityOptions.FrameSeconds"/> and keeps each
/// frame's energies. Frames are counted from the first sample added, so a shard that starts on a frame boundary of
/// the item measures exactly the frames the whole run would; <see cref="ActivityDetector"/> turns frames into regions.
/// </summary>
public sealed class ActivityFrames
{
    /// <summary>Frames sized in advance at most (29 hours of 0.1 s frames, 24 MiB); beyond it the list grows.</summary>
    private const int MaxPresizedFrames = 1 << 20;

    private readonly List<ActivityFrame> _frames;
    private readonly int _frameSamples;
    private int _inFrame;
    private double _target;
    private double _mixture;

    /// <summary>
    /// Frames at <paramref name="sampleRate"/>; with <paramref name="expectedSamples"/> (how many samples will be
    /// added, when known) the list of frames is sized once instead of growing, by doubling, as the recording goes on.
    /// </summary>
    public ActivityFrames(int sampleRate, ActivityOptions? options = null, long expectedSamples = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(expectedSamples);
        _frameSamples = FrameSamples(sampleRate, options ?? new ActivityOptions());
        _frames = new List<ActivityFrame>((int)Math.Min((expectedSamples + _frameSamples - 1) / _frameSamples, MaxPresizedFrames));
    }


    /// <summary>Samples per frame at <paramref name="sampleRate"/>.</summary>
    public static int FrameSamples(int sampleRate, ActivityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return Math.Max(1, (int)Math.Round(options.FrameSeconds * sampleRate));
    }

    /// <summary>The frames closed so far (and, after <see cref="Complete"/>, the last partial one).</summary>
    public IReadOnlyList<ActivityFrame> Frames => _frames;

    /// <summary>Adds the next samples of the mixture and the target (equal lengths).</summary>
    public void Add(ReadOnlySpan<float> mixture, ReadOnlySpan<float> target)
    {
        if (mixture.Length != target.Length)
        {
            throw new ArgumentException("Mixture and target chunks must have the same length.", nameof(target));
        }

        for (int i = 0; i < target.Length; i++)
        {
            _target += (double)target[i] * target[i];
            _mixture += (double)mixture[i] * mixture[i];
            if (++_inFrame == _frameSamples)
            {
                Close();
            }
        }
    }

    /// <summary>Closes a partial last frame; call once, after the last <see cref="Add"/>.</summary>
    public IReadOnlyList<ActivityFrame> Complete()
    {
        if (_inFrame > 0)
        {
            Close();
        }

        return _frames;
    }

    private void Close()
    {
        _frames.Add(new ActivityFrame(_target, _mixture, _inFrame));
        _inFrame = 0;
        _target = 0;
        _mixture = 0;
    }
}
