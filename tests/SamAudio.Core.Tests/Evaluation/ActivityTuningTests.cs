using SamAudio.Core.Activity;
using SamAudio.Core.Evaluation;

namespace SamAudio.Core.Tests.Evaluation;

public sealed class ActivityTuningTests
{
    private const int Rate = 1000;
    private const int FrameSamples = 100;
    private const double Seconds = 60;

    /// <summary>
    /// A prompt with three events: a long one (1 s, share 0.6), a short call (0.3 s, 0.45) and a tiny one (0.1 s, 0.15);
    /// and a prompt of an absent sound whose target holds 0.35 of the mixture for 0.2 s once. The background holds 0.01.
    /// </summary>
    private static readonly TuningItem[] Items =
    [
        Item(Events((10, 11), (30, 30.3), (40, 40.1)), (10, 11, 0.6), (30, 30.3, 0.45), (40, 40.1, 0.15)),
        Item([], (20, 20.2, 0.35)),
    ];

    [Fact]
    public void The_best_f1_within_the_false_region_limit_is_chosen_the_first_in_grid_order_among_equals()
    {
        var figures = ActivityTuning.ScoreAll(Items, ActivityTuning.Grid());
        var chosen = ActivityTuning.Choose(figures);

        // Finding all three events (F1 1) also finds the absent prompt's blip: 60 false regions per hour.
        Assert.Contains(figures, f => f.MeanF1 == 1 && f.FalsePerHour == 60);
        // The tiny event cannot be kept without the blip (longer, louder share), so the best allowed is 2 of 3 with no
        // false region: first reached, in grid order, at the lowest share, level and gap, by dropping regions under 0.3 s.
        Assert.Equal((0.02, -80.0, 0.0, 0.3), (chosen.Options.MinEnergyShare, chosen.Options.MinLevelDb, chosen.Options.MaxGapSeconds, chosen.Options.MinRegionSeconds));
        Assert.Equal(0.8, chosen.MeanF1, 12);
        Assert.Equal(2 / 3.0, chosen.MeanRecall, 12);
        Assert.Equal(0, chosen.FalsePerHour);
    }

    [Fact]
    public void Without_a_candidate_within_the_limit_the_best_pooled_f1_is_chosen_not_the_fewest_false_regions()
    {
        // Five calls at share 0.45 and one at 0.95; the absent prompt has two 1 s blips, at 0.9 (found by every
        // candidate) and 0.5.
        TuningItem[] items =
        [
            Item(Events((5, 5.3), (15, 15.3), (25, 25.3), (35, 35.3), (45, 45.3), (50, 51)),
                (5, 5.3, 0.45), (15, 15.3, 0.45), (25, 25.3, 0.45), (35, 35.3, 0.45), (45, 45.3, 0.45), (50, 51, 0.95)),
            Item([], (20, 21, 0.9), (40, 41, 0.5)),
        ];

        var figures = ActivityTuning.ScoreAll(items, ActivityTuning.Grid());
        var chosen = ActivityTuning.Choose(figures);

        // Shares above 0.5 leave one false region (60 per hour) but find one call of six; every call costs both blips.
        var fewest = figures.Where(f => f.FalsePerHour == 60).MaxBy(f => f.PooledF1)!;
        Assert.Equal(0.25, fewest.PooledF1, 12);
        Assert.Equal((0.02, -80.0, 0.0, 0.1, (double?)null),
            (chosen.Options.MinEnergyShare, chosen.Options.MinLevelDb, chosen.Options.MaxGapSeconds, chosen.Options.MinRegionSeconds, chosen.Options.SeedEnergyShare));
        Assert.Equal(120, chosen.FalsePerHour, 9);
        Assert.Equal(2 * 0.75 / 1.75, chosen.PooledF1, 12);
        Assert.Equal(1, chosen.MeanF1, 12);
    }

    [Fact]
    public void Seed_shares_are_tried_only_above_the_energy_share_and_at_most_twice_it()
    {
        var seeded = ActivityTuning.Grid().Where(o => o.SeedEnergyShare is not null).ToList();

        Assert.NotEmpty(seeded);
        Assert.All(seeded, o => Assert.InRange(o.SeedEnergyShare!.Value, o.MinEnergyShare + 1e-9, 2 * o.MinEnergyShare));
        Assert.Contains(seeded, o => o.MinEnergyShare == 0.25 && o.SeedEnergyShare == 0.5);
    }

    [Fact]
    public void A_prompt_with_events_and_no_region_counts_as_f1_zero_not_as_missing()
    {
        var figures = ActivityTuning.Score(Items, new ActivityOptions { MinEnergyShare = 0.9 });

        Assert.Equal(0, figures.MeanF1);
        Assert.Null(figures.MeanPrecision);
    }

    [Fact]
    public void Outcomes_give_each_region_its_score_and_whether_it_overlaps_an_event_of_its_prompt()
    {
        var options = new ActivityOptions { MinEnergyShare = 0.1, MinRegionSeconds = 0.1, MaxGapSeconds = 0 };

        var outcomes = ActivityTuning.Outcomes(Items, options with { Confidence = new ActivityConfidence("ignored", [new(0, 0.5)]) });

        Assert.Equal([(0.6, true), (0.45, true), (0.15, true), (0.35, false)], outcomes);
    }

    private static List<SoundEvent> Events(params (double Start, double End)[] spans) =>
        [.. spans.Select(s => new SoundEvent("owl", s.Start, s.End, 0, false, "", false))];

    /// <summary>Frames of a 60 s item at 0 dBFS mixture: the target holds 0.01 of its energy except in the bursts.</summary>
    private static TuningItem Item(List<SoundEvent> events, params (double Start, double End, double Share)[] bursts)
    {
        var frames = new ActivityFrame[(int)(Seconds * Rate / FrameSamples)];
        for (int i = 0; i < frames.Length; i++)
        {
            double t = i * FrameSamples / (double)Rate;
            double share = bursts.Where(b => t >= b.Start - 1e-9 && t < b.End - 1e-9).Select(b => b.Share).DefaultIfEmpty(0.01).First();
            frames[i] = new ActivityFrame(share * FrameSamples, FrameSamples, FrameSamples);
        }

        return new TuningItem(frames, Rate, events, Seconds);
    }
}
