using SamAudio.Core.Activity;
using SamAudio.Reports.Excerpts;

namespace SamAudio.Reports.Tests.Excerpts;

public sealed class ExcerptPlannerTests
{
    [Fact]
    public void Excerpts_take_the_loudest_regions_stay_inside_the_item_never_overlap_and_never_exceed_the_limit()
    {
        ActivityRegion[] regions =
        [
            new(100, 101, -30, 0.5), // quiet
            new(200, 260, -10, 0.9), // loudest, longer than the limit
            new(228, 229, -12, 0.9), // inside the loudest one's excerpt (its middle 30 s): skipped
            new(3595, 3599.5, -15, 0.8), // at the item's end
        ];

        var windows = ExcerptPlanner.Plan(regions, itemStart: 0, itemEnd: 3600, count: 3, maxSeconds: 30);

        Assert.Equal(3, windows.Count);
        Assert.All(windows, w => Assert.InRange(w.EndSeconds - w.StartSeconds, 5, 30));
        Assert.All(windows, w => Assert.True(w.StartSeconds >= 0 && w.EndSeconds <= 3600));
        Assert.Equal([(98.0, 103.0), (215.0, 245.0), (3593.5, 3600.0)], windows.Select(w => (Math.Round(w.StartSeconds, 3), Math.Round(w.EndSeconds, 3))).ToArray());
        for (int i = 1; i < windows.Count; i++) Assert.True(windows[i].StartSeconds >= windows[i - 1].EndSeconds);
    }
}
