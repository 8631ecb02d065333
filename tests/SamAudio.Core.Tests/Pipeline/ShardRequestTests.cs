using SamAudio.Core.Pipeline;
using SamAudio.Core.Segmentation;

namespace SamAudio.Core.Tests.Pipeline;

/// <summary>An item's windows: its own where set, else the model pack's preferred ones (issue 19, item 4).</summary>
public sealed class ShardRequestTests
{
    private static readonly WindowSensitiveEngine Engine = new(16_000, segmentSeconds: 2, overlapSeconds: 0.5);

    [Theory]
    [InlineData(null, null, 32_000, 8_000)] // the pack's preference
    [InlineData(4.0, 1.5, 64_000, 24_000)] // the item's own
    [InlineData(0.8, null, 12_800, 6_400)] // the pack's overlap, capped at half the item's window
    [InlineData(null, 0.25, 32_000, 4_000)] // the pack's window with the item's overlap
    public void Windows_not_set_by_the_item_are_the_pack_s_preferred_ones(double? segment, double? overlap, int window, int overlapSamples)
    {
        var request = new ShardRequest { Prompts = [], SegmentSeconds = segment, OverlapSeconds = overlap, Span = ShardSpan.Whole(0, 1) };

        var options = request.Segmentation(Engine.Description);

        Assert.Equal((window, overlapSamples), (options.WindowSamples, options.OverlapSamples));
    }

    [Fact]
    public void An_overlap_over_half_of_the_pack_s_window_is_refused_with_a_sentence()
    {
        var request = new ShardRequest { Prompts = [], OverlapSeconds = 1.5, Span = ShardSpan.Whole(0, 1) };

        var error = Assert.Throws<ArgumentException>(() => request.Segmentation(Engine.Description));

        Assert.Equal("overlapSeconds 1.5 is more than half of the window (2 s, window-sensitive's preferred length); use at most 1 or set segmentSeconds", error.Message);
    }
}
