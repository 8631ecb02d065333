using SamAudio.Core.Activity;

namespace SamAudio.Core.Evaluation;

/// <summary>
/// Calibrates region scores against outcomes (true event or not) by isotonic regression: pool adjacent violators over
/// the outcomes sorted by score, so the fitted probability never falls as the score rises. Each pooled block becomes one
/// point, at the mean score of its regions with the share of them that were true.
/// </summary>
public static class IsotonicCalibration
{
    /// <summary>
    /// Points of the isotonic fit of <paramref name="outcomes"/>, at most <paramref name="maxPoints"/> (neighbouring
    /// blocks are pooled into groups of about equal region counts when there are more); scores strictly ascending,
    /// probabilities non-decreasing. Regions of equal score are pooled before fitting, as one score has one probability.
    /// </summary>
    public static IReadOnlyList<ConfidencePoint> Fit(IEnumerable<(double Score, bool True)> outcomes, int maxPoints = 20)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoints, 2);
        var blocks = new List<Block>();
        foreach (var group in outcomes.GroupBy(o => o.Score).OrderBy(g => g.Key))
        {
            blocks.Add(new Block(group.Key * group.Count(), group.Count(o => o.True), group.Count()));
            while (blocks.Count > 1 && blocks[^2].Probability > blocks[^1].Probability)
            {
                blocks[^2] = blocks[^2] + blocks[^1];
                blocks.RemoveAt(blocks.Count - 1);
            }
        }

        return [.. Thin(blocks, maxPoints).Select(b => new ConfidencePoint(b.Score, b.Probability))];
    }

    /// <summary>Pools neighbouring blocks into at most <paramref name="maxPoints"/> groups of about equal weight.</summary>
    private static List<Block> Thin(List<Block> blocks, int maxPoints)
    {
        if (blocks.Count <= maxPoints)
        {
            return blocks;
        }

        double total = blocks.Sum(b => b.Count);
        var groups = new List<Block>();
        int current = -1;
        double before = 0;
        foreach (var block in blocks)
        {
            int group = (int)Math.Min(maxPoints - 1, Math.Floor(before * maxPoints / total));
            if (group != current)
            {
                groups.Add(block);
                current = group;
            }
            else
            {
                groups[^1] = groups[^1] + block;
            }

            before += block.Count;
        }

        return groups;
    }

    /// <summary>Regions pooled together: the sum of their scores, how many were true, how many there are.</summary>
    private readonly record struct Block(double ScoreSum, double Trues, double Count)
    {
        public double Score => ScoreSum / Count;

        public double Probability => Trues / Count;

        public static Block operator +(Block a, Block b) => new(a.ScoreSum + b.ScoreSum, a.Trues + b.Trues, a.Count + b.Count);
    }
}
