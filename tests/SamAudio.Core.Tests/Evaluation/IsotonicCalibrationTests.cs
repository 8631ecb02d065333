using SamAudio.Core.Activity;
using SamAudio.Core.Evaluation;

namespace SamAudio.Core.Tests.Evaluation;

public sealed class IsotonicCalibrationTests
{
    [Fact]
    public void Adjacent_violators_are_pooled_into_one_point_at_their_mean_score()
    {
        // True, false, false, true by score: the first three violate the order and pool to 1/3 at score 0.2.
        var points = IsotonicCalibration.Fit([(0.3, false), (0.1, true), (0.4, true), (0.2, false)]);

        Assert.Equal(2, points.Count);
        Assert.Equal(0.2, points[0].Score, 12);
        Assert.Equal(1 / 3.0, points[0].Probability, 12);
        Assert.Equal(new ConfidencePoint(0.4, 1), points[1]);
    }

    [Fact]
    public void Outcomes_already_in_order_keep_a_point_each()
    {
        var points = IsotonicCalibration.Fit([(0.1, false), (0.2, false), (0.5, true)]);

        Assert.Equal([new(0.1, 0), new(0.2, 0), new(0.5, 1)], points);
    }

    [Fact]
    public void Regions_of_equal_score_share_one_point()
    {
        var points = IsotonicCalibration.Fit([(0.5, true), (0.5, false), (0.5, false), (0.7, true)]);

        Assert.Equal([new(0.5, 1 / 3.0), new(0.7, 1)], points);
    }

    [Fact]
    public void Many_blocks_are_thinned_to_groups_of_equal_region_counts_keeping_the_order()
    {
        // 200 regions of distinct scores, the lower half false and the upper half true: 200 blocks, none violating.
        var outcomes = Enumerable.Range(0, 200).Select(i => (Score: i / 200.0, True: i >= 100)).ToList();

        var points = IsotonicCalibration.Fit(outcomes, maxPoints: 20);

        // Groups of 10 regions each, at their mean score: 0.0225, 0.0725, ...
        Assert.Equal(20, points.Count);
        Assert.All(points.Take(10), p => Assert.Equal(0, p.Probability));
        Assert.All(points.Skip(10), p => Assert.Equal(1, p.Probability));
        Assert.Equal(4.5 / 200, points[0].Score, 12);
        Assert.Equal(194.5 / 200, points[^1].Score, 12);
        new ActivityConfidence("test", points).Validate();
    }

    [Fact]
    public void No_regions_give_no_points()
    {
        Assert.Empty(IsotonicCalibration.Fit([]));
    }
}
