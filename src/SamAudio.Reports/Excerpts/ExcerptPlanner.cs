using SamAudio.Core.Activity;

namespace SamAudio.Reports.Excerpts;

/// <summary>A stretch of recording time to listen to, and the region it was chosen for.</summary>
internal sealed record ExcerptWindow(double StartSeconds, double EndSeconds, ActivityRegion Region);

/// <summary>
/// Chooses excerpts around a prompt's strongest activity regions (highest level first): the region with a second of
/// context either side, at least 5 s and at most the limit, inside the item, never overlapping an excerpt already chosen.
/// </summary>
internal static class ExcerptPlanner
{
    private const double ContextSeconds = 1, ShortestSeconds = 5;

    public static List<ExcerptWindow> Plan(IReadOnlyList<ActivityRegion> regions, double itemStart, double itemEnd, int count, double maxSeconds)
    {
        var chosen = new List<ExcerptWindow>();
        foreach (var r in regions.OrderByDescending(r => r.LevelDb).ThenBy(r => r.StartSeconds))
        {
            if (chosen.Count >= count) break;
            double length = Math.Clamp(r.EndSeconds - r.StartSeconds + (2 * ContextSeconds), ShortestSeconds, maxSeconds);
            length = Math.Min(length, itemEnd - itemStart);
            double centre = (r.StartSeconds + r.EndSeconds) / 2;
            double start = Math.Clamp(centre - (length / 2), itemStart, Math.Max(itemStart, itemEnd - length));
            double end = start + length;
            if (length <= 0 || chosen.Any(c => start < c.EndSeconds && c.StartSeconds < end)) continue;
            chosen.Add(new ExcerptWindow(start, end, r));
        }

        chosen.Sort((a, b) => a.StartSeconds.CompareTo(b.StartSeconds));
        return chosen;
    }
}
