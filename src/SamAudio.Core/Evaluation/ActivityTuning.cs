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
/// prompts of absent sounds (0 when there are none).
/// </summary>
public sealed record TuningFigures(ActivityOptions Options, double MeanF1, double MeanRecall, double? MeanPrecision, double FalsePerHour);

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

    public static IReadOnlyList<double> EnergyShares { get; } = [0.02, 0.05, 0.08, 0.12, 0.16, 0.2, 0.25, 0.3, 0.4, 0.5];

    public static IReadOnlyList<double> LevelsDb { get; } = [-80, -70, -60, -50];

    public static IReadOnlyList<double> GapSeconds { get; } = [0, 0.1, 0.2, 0.3, 0.5, 0.8, 1.2];

    public static IReadOnlyList<double> RegionSeconds { get; } = [0.1, 0.2, 0.3, 0.5];

    /// <summary>
    /// The candidates in grid order: energy share outermost, then level, gap and shortest region innermost; the other
    /// settings as <paramref name="template"/> has them (the frame length stays 0.1 s).
    /// </summary>
    public static IReadOnlyList<ActivityOptions> Grid(ActivityOptions? template = null)
    {
        var t = (template ?? new ActivityOptions()) with { Confidence = null, Source = null, ChosenOn = null };
        return [.. from share in EnergyShares
                   from level in LevelsDb
                   from gap in GapSeconds
                   from region in RegionSeconds
                   select t with { MinEnergyShare = share, MinLevelDb = level, MaxGapSeconds = gap, MinRegionSeconds = region }];
    }

    /// <summary>The figures of <paramref name="options"/> on <paramref name="items"/> (regions matched by <see cref="EventSpans.Match"/>).</summary>
    public static TuningFigures Score(IReadOnlyList<TuningItem> items, ActivityOptions options)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(options);
        var present = new List<EventMatch>();
        var falsePerHour = new List<double>();
        foreach (var item in items)
        {
            var match = EventSpans.Match(item.Events, Spans(item.Regions(options)));
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
            falsePerHour.Count > 0 ? falsePerHour.Average() : 0);
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
    /// regions per hour come first, by highest mean F1; then the others, by fewest false regions per hour and then
    /// highest F1. Ties keep the given (grid) order, so the first of the result is the chosen candidate.
    /// </summary>
    public static IReadOnlyList<TuningFigures> Rank(IReadOnlyList<TuningFigures> figures)
    {
        ArgumentNullException.ThrowIfNull(figures);
        return [.. figures
            .OrderBy(f => f.FalsePerHour <= MaxFalsePerHour ? 0 : 1)
            .ThenBy(f => f.FalsePerHour <= MaxFalsePerHour ? 0 : f.FalsePerHour)
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
