namespace SamAudio.Core.Activity;

/// <summary>
/// What a region's confidence means when a model pack has been calibrated: the probability that a region with a given
/// score is a true event, read off <see cref="Points"/>. A region's score is the mean share of the mixture's energy
/// that the target holds over the region's active frames (the confidence of an uncalibrated table). The points come
/// from <c>samaudio eval --tune-activity</c>: the share of regions with this score that were true events on the
/// pack's validation soundscape (an isotonic fit, so a higher score never means a lower probability).
/// </summary>
/// <param name="Meaning">What the probability is, in words, for <c>run.json</c> and the pack's readers.</param>
/// <param name="Points">Scores strictly ascending, probabilities non-decreasing, both in [0, 1]; at least one.</param>
public sealed record ActivityConfidence(string Meaning, IReadOnlyList<ConfidencePoint> Points)
{
    /// <summary>
    /// The probability at <paramref name="score"/>: linear between the two points around it, the first or last
    /// point's probability below or above them all.
    /// </summary>
    public double Probability(double score)
    {
        var points = Points;
        if (score <= points[0].Score)
        {
            return points[0].Probability;
        }

        for (int i = 1; i < points.Count; i++)
        {
            if (score <= points[i].Score)
            {
                var (a, b) = (points[i - 1], points[i]);
                return a.Probability + (b.Probability - a.Probability) * (score - a.Score) / (b.Score - a.Score);
            }
        }

        return points[^1].Probability;
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first point that breaks the rules.</summary>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Meaning, nameof(Meaning));
        ArgumentNullException.ThrowIfNull(Points, nameof(Points));
        if (Points.Count == 0)
        {
            throw new ArgumentException("A confidence calibration needs at least one point.", nameof(Points));
        }

        if (FirstBadPoint() is { } bad)
        {
            throw new ArgumentException($"Point {bad.Point}: {bad.Rule}.", nameof(Points));
        }
    }

    /// <summary>
    /// The first point that breaks the rules (scores strictly ascending, probabilities non-decreasing, both in
    /// [0, 1]) and the rule it breaks, or null; a model pack's reader names the point in its own terms.
    /// </summary>
    public (int Point, string Rule)? FirstBadPoint()
    {
        for (int i = 0; i < Points.Count; i++)
        {
            var p = Points[i];
            if (!(p.Score is >= 0 and <= 1) || !(p.Probability is >= 0 and <= 1))
            {
                return (i, $"score and probability must be in [0, 1] ({p.Score}, {p.Probability})");
            }

            if (i > 0 && !(p.Score > Points[i - 1].Score))
            {
                return (i, $"scores must be strictly ascending ({p.Score} follows {Points[i - 1].Score})");
            }

            if (i > 0 && p.Probability < Points[i - 1].Probability)
            {
                return (i, $"probabilities must not decrease ({p.Probability} follows {Points[i - 1].Probability})");
            }
        }

        return null;
    }
}

/// <summary>One point of an <see cref="ActivityConfidence"/>: a region score and the probability of a true event at it.</summary>
public readonly record struct ConfidencePoint(double Score, double Probability);
