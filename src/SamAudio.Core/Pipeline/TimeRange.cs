using SamAudio.Core.Audio;

namespace SamAudio.Core.Pipeline;

/// <summary>The part of a recording an item covers, in frames at the recording's rate.</summary>
internal sealed record TimeRange(long StartFrame, long EndFrame, double StartSeconds)
{
    public long Frames => EndFrame - StartFrame;

    /// <summary>
    /// Turns the item's start/end into frames. A start past the end is an error; an end past the end is
    /// clipped to the real end with a warning (the recording may be shorter than its catalogue entry).
    /// </summary>
    public static TimeRange Resolve(SeparationRequest request, AudioFileInfo info, List<string> warnings)
    {
        var (start, end, endClamped) = ItemFrames.Resolve(request.Start, request.End, info.SampleRate, info.Frames);
        if (start >= info.Frames && info.Frames > 0)
        {
            throw new ArgumentException(
                $"start {request.Start} is at or past the end of the recording ({info.Frames / (double)info.SampleRate:F3} s); choose an earlier start.");
        }

        if (endClamped)
        {
            warnings.Add($"end {request.End} is past the end of the recording; processed up to {info.Frames / (double)info.SampleRate:F3} s");
        }

        return new TimeRange(start, end, start / (double)info.SampleRate);
    }
}
