using SamAudio.Core.Activity;

namespace SamAudio.Core.Tests.Activity;

public sealed class ActivityConfidenceTests
{
    private static readonly ActivityConfidence Calibration = new("test", [new(0.2, 0.1), new(0.6, 0.5), new(0.8, 0.9)]);

    [Theory]
    [InlineData(0.4, 0.3)]   // halfway between the first two points
    [InlineData(0.7, 0.7)]   // halfway between the last two
    [InlineData(0.6, 0.5)]   // on a point
    [InlineData(0.05, 0.1)]  // below the first point: its probability
    [InlineData(0.95, 0.9)]  // above the last: its probability
    public void Probability_is_linear_between_points_and_clamped_at_the_ends(double score, double expected)
    {
        Assert.Equal(expected, Calibration.Probability(score), 12);
    }

    [Fact]
    public void One_point_gives_one_probability_for_every_score()
    {
        var single = new ActivityConfidence("test", [new(0.3, 0.4)]);

        Assert.Equal(0.4, single.Probability(0));
        Assert.Equal(0.4, single.Probability(1));
    }

    [Theory]
    [InlineData(0.5, 0.2, 0.4, 0.3, "strictly ascending")]
    [InlineData(0.5, 0.2, 0.5, 0.3, "strictly ascending")]
    [InlineData(0.1, 0.5, 0.2, 0.4, "must not decrease")]
    [InlineData(0.1, 0.5, 1.2, 0.6, "[0, 1]")]
    [InlineData(0.1, -0.1, 0.2, 0.6, "[0, 1]")]
    public void Validate_refuses_points_out_of_order_or_range_naming_the_point(double s0, double p0, double s1, double p1, string rule)
    {
        var calibration = new ActivityConfidence("test", [new(s0, p0), new(s1, p1)]);

        var e = Assert.ThrowsAny<ArgumentException>(calibration.Validate);

        Assert.Contains(rule, e.Message, StringComparison.Ordinal);
        Assert.Contains("Point ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_with_a_calibration_without_points_are_refused()
    {
        var options = new ActivityOptions { Confidence = new ActivityConfidence("test", []) };

        Assert.Throws<ArgumentException>(options.Validate);
    }
}
