namespace SamAudio.Core.Evaluation;

/// <summary>
/// Scores a soundscape prompt over the spans of its events: SI-SDR improvement with the estimate, the reference and
/// the mixture all cut to the event's span, and event recall and precision of an activity table.
/// </summary>
public static class EventSpans
{
    /// <summary>
    /// SI-SDR of <paramref name="estimate"/> minus SI-SDR of <paramref name="mixture"/>, both against
    /// <paramref name="reference"/>, over the samples of [start, end) only.
    /// </summary>
    public static double SiSdrImprovement(ReadOnlySpan<float> estimate, ReadOnlySpan<float> mixture, ReadOnlySpan<float> reference, SoundEvent span, int sampleRate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1);
        int n = Math.Min(Math.Min(estimate.Length, mixture.Length), reference.Length);
        int a = (int)Math.Clamp(Math.Round(span.StartSeconds * sampleRate), 0, n);
        int b = (int)Math.Clamp(Math.Round(span.EndSeconds * sampleRate), a, n);
        if (b - a < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(span), span, "The event's span holds fewer than two samples of the signals.");
        }

        return SeparationMetrics.SiSdr(estimate[a..b], reference[a..b]) - SeparationMetrics.SiSdr(mixture[a..b], reference[a..b]);
    }

    /// <summary>
    /// Matches detected regions to events. Overlap rule: a region and an event match when their intervals share a
    /// positive length (touching ends do not count). An event is found when any region matches it; a region is a
    /// false positive when it matches no event. With no events, every region is false.
    /// <paramref name="minRegionCover"/> above 0 also makes a region false, and unable to find events, when the events
    /// cover less than that share of its length: one region of minutes laid over a few short events then counts as
    /// one false detection, not as all of them found (activity tuning uses 0.5, <see cref="ActivityTuning.RegionCover"/>).
    /// </summary>
    public static EventMatch Match(IReadOnlyList<SoundEvent> events, IReadOnlyList<(double Start, double End)> regions, double minRegionCover = 0)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(regions);
        static double Overlap(SoundEvent e, (double Start, double End) r) => Math.Min(e.EndSeconds, r.End) - Math.Max(e.StartSeconds, r.Start);
        bool Counts((double Start, double End) r) =>
            events.Any(e => Overlap(e, r) > 0) && (minRegionCover <= 0 || events.Sum(e => Math.Max(0, Overlap(e, r))) >= minRegionCover * (r.End - r.Start));
        var matching = regions.Where(Counts).ToList();
        int found = events.Count(e => matching.Any(r => Overlap(e, r) > 0));
        return new EventMatch(events.Count, found, regions.Count, regions.Count - matching.Count);
    }
}

/// <summary>Events and regions matched by <see cref="EventSpans.Match"/>; ratios are null where undefined.</summary>
public sealed record EventMatch(int Events, int Found, int Regions, int FalseRegions)
{
    public double? Recall => Events == 0 ? null : Found / (double)Events;

    public double? Precision => Regions == 0 ? null : (Regions - FalseRegions) / (double)Regions;

    /// <summary>
    /// Harmonic mean of recall and precision; 0 when either is 0, including a prompt with events and no region at
    /// all (nothing found), so that a mean over prompts never drops the prompts that found nothing; null only without
    /// events.
    /// </summary>
    public double? F1 => Recall switch
    {
        null => null,
        0 => 0,
        double r => Precision is { } p ? (r + p == 0 ? 0 : 2 * r * p / (r + p)) : 0,
    };

    /// <summary>False regions per hour of a recording of <paramref name="seconds"/>.</summary>
    public double FalsePerHour(double seconds) => FalseRegions / (seconds / 3600.0);
}
