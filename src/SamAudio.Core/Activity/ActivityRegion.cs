namespace SamAudio.Core.Activity;

/// <summary>A stretch of the recording where a prompt's target is active.</summary>
/// <param name="StartSeconds">Start on the recording's timeline.</param>
/// <param name="EndSeconds">End on the recording's timeline.</param>
/// <param name="LevelDb">RMS level of the isolated target over the region, in dBFS.</param>
/// <param name="Confidence">Mean share of the mixture's energy that the target holds, 0..1.</param>
public sealed record ActivityRegion(double StartSeconds, double EndSeconds, double LevelDb, double Confidence);
