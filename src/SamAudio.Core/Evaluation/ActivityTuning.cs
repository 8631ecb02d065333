using SamAudio.Core.Activity;

namespace SamAudio.Core.Evaluation;

/// <summary>
/// One soundscape prompt of a validation set, as activity tuning sees it: the activity frames of the model's target
/// against the mixture, at <see cref="SampleRate"/>, and the events of the prompt's class (none: an absent sound).
/// </summary>
public sealed record TuningItem(IReadOnlyList<ActivityFrame> Frames, int SampleRate, IReadOnlyList<SoundEvent> Events, double Seconds)
{
    public bool Absent => Events.Count == 0;

    /// <summary>The regions <paramref name="options"/> find in this item's frames.</summary>
    public IReadOnlyList<ActivityRegion> Regions(ActivityOptions options) => new ActivityDetector(SampleRate, 0, options).Detect(Frames);
}

/// <summary>
/// How one set of activity options does on a validation set: mean F1, recall and precision over the prompts with events
/// (a prompt with events and no region has F1 0 and no precision), and the mean false regions per hour over the
/// prompts of absent sounds (0 when there are none). <see cref="PooledF1"/> counts every prompt at once: recall over all
/// events, precision over all regions, the absent prompts' regions among them (all false).
/// </summary>
public sealed record TuningFigures(ActivityOptions Options, double MeanF1, double MeanRecall, double? MeanPrecision, double FalsePerHour, double PooledF1 = 0);

/// <summary>
/// Chooses activity options on a soundscape validation set (<c>samaudio eval --tune-activity</c>): every candidate of
/// <see cref="Grid"/> re-detects regions from the items' frames (the separation ran once), and the rule of
/// <see cref="Choose"/> picks one; <see cref="Outcomes"/> then gives every region's score and truth for calibrating
/// the confidence (<see cref="IsotonicCalibration"/>).
/// </summary>
public static class ActivityTuning
{
    /// <summary>Most false regions per hour, on average over absent prompts, that a chosen candidate may give.</summary>
    public const double MaxFalsePerHour = 5;

    /// <summary>
    /// Share of a region's length that events of its class must cover for the region to count as a detection while
    /// tuning (<see cref="EventSpans.Match"/>). Without it the search preferred a low energy share with a seed, whose
    /// regions ran for minutes over the bed and each "found" every event under it (car prompt of the reserved
    /// soundscape: 5 regions of median 120 s for 9 events).
    /// </summary>
    public const double RegionCover = 0.5;

    public static IReadOnlyList<double> EnergyShares { get; } = [0.02, 0.05, 0.08, 0.12, 0.16, 0.2, 0.25, 0.3, 0.4, 0.5];

    public static IReadOnlyList<double> LevelsDb { get; } = [-80, -70, -60, -50];

    public static IReadOnlyList<double> GapSeconds { get; } = [0, 0.1, 0.2, 0.3, 0.5, 0.8, 1.2];

    public static IReadOnlyList<double> RegionSeconds { get; } = [0.1, 0.2, 0.3, 0.5];

    /// <summary>
    /// Seed shares tried (null: no seed): only those above a candidate's energy share, where one changes anything, and at
    /// most twice it, the usual form of hysteresis. With lower energy shares under a high seed, regions followed a
    /// prompt's faint steady leak through the bed for minutes (car prompt, reserved soundscape: share 0.05 under seed
    /// 0.6 gave 5 regions of median 119 s for 9 events).
    /// </summary>
    public static IReadOnlyList<double?> SeedShares { get; } = [null, 0.5, 0.6, 0.7, 0.8, 0.9];

    /// <summary>
    /// The candidates in grid order: energy share outermost, then level, gap, shortest region and seed share innermost;
    /// the other settings as <paramref name="template"/> has them (the frame length stays 0.1 s).
    /// </summary>
    public static IReadOnlyList<ActivityOptions> Grid(ActivityOptions? template = null)
    {
        var t = (template ?? new ActivityOptions()) with { Confidence = null, Source = null, ChosenOn = null };
        return [.. from share in EnergyShares
                   from level in LevelsDb
                   from gap in GapSeconds
                   from region in RegionSeconds
                   from seed in SeedShares
                   where seed is null || (seed > share && seed <= 2 * share)
                   select t with { MinEnergyShare = share, SeedEnergyShare = seed, MinLevelDb = level, MaxGapSeconds = gap, MinRegionSeconds = region }];
    }

    /// <summary>The figures of <paramref name="options"/> on <paramref name="items"/> (regions matched by <see cref="EventSpans.Match"/> with <see cref="RegionCover"/>).</summary>
    public static TuningFigures Score(IReadOnlyList<TuningItem> items, ActivityOptions options)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(options);
        var present = new List<EventMatch>();
        var falsePerHour = new List<double>();
        var pooled = new EventMatch(0, 0, 0, 0);
        foreach (var item in items)
        {
            var match = EventSpans.Match(item.Events, Spans(item.Regions(options)), RegionCover);
            pooled = new EventMatch(pooled.Events + match.Events, pooled.Found + match.Found, pooled.Regions + match.Regions, pooled.FalseRegions + match.FalseRegions);
            if (item.Absent)
            {
                falsePerHour.Add(match.FalsePerHour(item.Seconds));
            }
            else
            {
                present.Add(match);
            }
        }

        var precisions = present.Where(m => m.Precision is not null).Select(m => m.Precision!.Value).ToList();
        return new TuningFigures(
            options,
            present.Count > 0 ? present.Average(m => m.F1 ?? 0) : 0,
            present.Count > 0 ? present.Average(m => m.Recall ?? 0) : 0,
            precisions.Count > 0 ? precisions.Average() : null,
            falsePerHour.Count > 0 ? falsePerHour.Average() : 0,
            pooled.F1 ?? 0);
    }

    /// <summary>Every candidate of <paramref name="candidates"/> scored, in their order (candidates run in parallel).</summary>
    public static IReadOnlyList<TuningFigures> ScoreAll(IReadOnlyList<TuningItem> items, IReadOnlyList<ActivityOptions> candidates, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var figures = new TuningFigures[candidates.Count];
        Parallel.For(0, candidates.Count, new ParallelOptions { CancellationToken = cancellationToken }, i => figures[i] = Score(items, candidates[i]));
        return figures;
    }

    /// <summary>
    /// <paramref name="figures"/> best first by the rule: candidates with at most <see cref="MaxFalsePerHour"/> false
    /// regions per hour come first, by highest mean F1; then the others, by highest pooled F1 (the absent prompts'
    /// regions counted as false detections) and then highest mean F1. Ties keep the given (grid) order, so the first of
    /// the result is the chosen candidate. Beyond the limit, "fewest false regions" alone bought very little for a lot:
    /// on the validation soundscape of pack 6.2.1 it gave up F1 0.45 for 0.36 to go from 54.75 to 53.25 false regions per hour.
    /// </summary>
    public static IReadOnlyList<TuningFigures> Rank(IReadOnlyList<TuningFigures> figures)
    {
        ArgumentNullException.ThrowIfNull(figures);
        return [.. figures
            .OrderBy(f => f.FalsePerHour <= MaxFalsePerHour ? 0 : 1)
            .ThenByDescending(f => f.FalsePerHour <= MaxFalsePerHour ? 0 : f.PooledF1)
            .ThenByDescending(f => f.MeanF1)];
    }

    /// <summary>The chosen candidate of <paramref name="figures"/> (the first by <see cref="Rank"/>).</summary>
    public static TuningFigures Choose(IReadOnlyList<TuningFigures> figures) =>
        figures.Count > 0 ? Rank(figures)[0] : throw new ArgumentException("There are no candidates to choose from.", nameof(figures));

    /// <summary>
    /// Every region <paramref name="options"/> find in every item with its score and whether it is a true event: for a
    /// prompt with events, when it overlaps one (as <see cref="EventSpans.Match"/> decides); for an absent sound, never.
    /// The options must carry no calibration, so a region's confidence is its score.
    /// </summary>
    public static IReadOnlyList<(double Score, bool True)> Outcomes(IReadOnlyList<TuningItem> items, ActivityOptions options)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(options);
        var scoring = options with { Confidence = null };
        return [.. items.SelectMany(item => item.Regions(scoring).Select(r =>
            (r.Confidence, EventSpans.Match(item.Events, [(r.StartSeconds, r.EndSeconds)]).FalseRegions == 0)))];
    }

    private static List<(double Start, double End)> Spans(IReadOnlyList<ActivityRegion> regions) =>
        [.. regions.Select(r => (r.StartSeconds, r.EndSeconds))];
}
