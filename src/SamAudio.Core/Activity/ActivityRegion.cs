namespace SamAudio.Core.Activity;

/// <summary>A stretch of the recording where a prompt's target is active.</summary>
/// <param name="StartSeconds">Start on the recording's timeline.</param>
/// <param name="EndSeconds">End on the recording's timeline.</param>
/// <param name="LevelDb">RMS level of the isolated target over the region, in dBFS.</param>
/// <param name="Confidence">
/// 0..1. With a calibrated model pack (<see cref="ActivityOptions.Confidence"/>): the probability that the region is a
/// true event, that is, the share of regions with its score that were true events on the pack's validation soundscape.
/// Without one: the region's score itself, the mean share of the mixture's energy the target holds over its active
/// frames (not a probability).
/// </param>
public sealed record ActivityRegion(double StartSeconds, double EndSeconds, double LevelDb, double Confidence);
