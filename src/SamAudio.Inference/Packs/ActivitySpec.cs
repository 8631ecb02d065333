using System.Text.Json.Serialization;
using SamAudio.Core.Activity;

namespace SamAudio.Inference.Packs;

/// <summary>
/// A pack's activity settings (<c>modelpack.json</c> <c>activity</c>), as <c>samaudio eval --tune-activity</c> writes
/// them: the thresholds chosen on a validation soundscape and, optionally, the calibration of the confidence column.
/// The frame length is not here: it stays 0.1 s, which the shard planner aligns shards to.
/// </summary>
/// <param name="MinEnergyShare">Least share of the mixture's energy an active frame's target holds, in [0, 1].</param>
/// <param name="MinLevelDb">Least RMS level of an active frame's target, in dBFS, in [-200, 0].</param>
/// <param name="MaxGapSeconds">Longest inactive gap bridged inside a region, in [0, 60].</param>
/// <param name="MinRegionSeconds">Shortest region kept, in [0, 60].</param>
/// <param name="ChosenOn">Which validation set the settings were chosen on, in words.</param>
/// <param name="Confidence">The calibration of the confidence column; absent: the confidence is the region's score.</param>
/// <param name="SeedEnergyShare">Share of the mixture's energy some frame of a region must reach for the region to be
/// kept, in [minEnergyShare, 1]; absent: none (packs before 6.2.2).</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ActivitySpec(
    double MinEnergyShare,
    double MinLevelDb,
    double MaxGapSeconds,
    double MinRegionSeconds,
    string ChosenOn,
    ConfidenceSpec? Confidence = null,
    double? SeedEnergyShare = null)
{
    /// <summary>The pipeline's options for these settings, their source naming the pack.</summary>
    public ActivityOptions ToOptions(string packId, string packVersion) => new()
    {
        MinEnergyShare = MinEnergyShare,
        SeedEnergyShare = SeedEnergyShare,
        MinLevelDb = MinLevelDb,
        MaxGapSeconds = MaxGapSeconds,
        MinRegionSeconds = MinRegionSeconds,
        Confidence = Confidence?.ToConfidence(),
        Source = $"model pack {packId} {packVersion}",
        ChosenOn = ChosenOn,
    };
}

/// <summary>
/// What a region's confidence means and the calibration behind it: <c>[score, probability]</c> pairs, scores strictly
/// ascending and probabilities non-decreasing, both in [0, 1]; the probability is interpolated linearly between them
/// and clamped at the ends (<see cref="ActivityConfidence"/>).
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ConfidenceSpec(string Meaning, IReadOnlyList<IReadOnlyList<double>> Points)
{
    /// <summary>The calibration the pipeline reads; every point must be a pair (the pack's rules check that first).</summary>
    public ActivityConfidence ToConfidence() => new(Meaning, [.. Points.Select(p => new ConfidencePoint(p[0], p[1]))]);
}
