using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using SamAudio.Core.Activity;
using SamAudio.Core.Evaluation;
using SamAudio.Core.Outputs;
using SamAudio.Core.Provenance;
using SamAudio.Core.Separation;

namespace SamAudio.Cli.Commands;

/// <summary>
/// <c>samaudio eval --tune-activity OUT.json</c>: chooses the activity settings on the eval file's soundscape items
/// (<see cref="ActivityTuning"/>), calibrates the confidence with them (<see cref="IsotonicCalibration"/>) and writes
/// OUT.json in the shape of a model pack's <c>activity</c> section, plus a <c>search</c> member (drop it when pasting).
/// </summary>
internal static partial class ActivityTuningFile
{
    public const int MaxPoints = 20;

    public static async Task WriteAsync(
        string path, string evalName, EngineDescription model, IReadOnlyList<TuningItem> items, TextWriter summary, CancellationToken cancellationToken)
    {
        var candidates = ActivityTuning.Grid();
        var figures = ActivityTuning.ScoreAll(items, candidates, cancellationToken);
        var ranked = ActivityTuning.Rank(figures);
        var chosen = ranked[0];
        var defaults = ActivityTuning.Score(items, ActivityOptions.Defaults);
        var points = Round(IsotonicCalibration.Fit(ActivityTuning.Outcomes(items, chosen.Options), MaxPoints));

        var present = items.Where(i => !i.Absent).ToList();
        int absent = items.Count - present.Count;
        double hours = items.Sum(i => i.Seconds) / 3600;
        string chosenOn = Invariant($"{evalName}: {present.Count} soundscape prompt(s) with {present.Sum(i => i.Events.Count)} events and {absent} prompt(s) of absent sounds, {hours:F2} prompt-hours, separated by {model.ModelId} {model.Version}");
        string meaning = $"Probability that a region is a true event: the share of regions with this score (the mean share of the mixture's energy the target holds over the region's active frames) that overlapped an event of the prompted class on {evalName}; isotonic fit, linear between points, clamped at the ends.";
        var document = new
        {
            minEnergyShare = chosen.Options.MinEnergyShare,
            seedEnergyShare = chosen.Options.SeedEnergyShare,
            minLevelDb = chosen.Options.MinLevelDb,
            maxGapSeconds = chosen.Options.MaxGapSeconds,
            minRegionSeconds = chosen.Options.MinRegionSeconds,
            chosenOn,
            confidence = points.Count == 0 ? null : new { meaning, points = points.Select(p => new[] { p.Score, p.Probability }) },
            search = new
            {
                rule = Invariant($"regions count as detections only when events of their class cover at least {ActivityTuning.RegionCover} of their length; highest mean F1 over prompts with events among candidates with at most {ActivityTuning.MaxFalsePerHour} false regions per hour on average over absent prompts; if none, highest pooled F1 (every prompt's regions and events together, the absent prompts' regions false), then highest mean F1; ties: first in grid order (energy share, level, gap, shortest region, seed share)"),
                candidates = candidates.Count,
                promptsWithEvents = present.Count,
                absentPrompts = absent,
                regionsCalibrated = ActivityTuning.Outcomes(items, chosen.Options).Count,
                top = ranked.Take(10).Select(Figures),
                defaults = Figures(defaults),
            },
        };
        await AtomicFile.WriteAllTextAsync(path, Serialize(document), cancellationToken).ConfigureAwait(false);

        await summary.WriteLineAsync(Invariant($"activity settings chosen on {present.Count} prompt(s) with events and {absent} absent, {candidates.Count} candidates:")).ConfigureAwait(false);
        await summary.WriteLineAsync("  chosen:   " + Describe(chosen)).ConfigureAwait(false);
        await summary.WriteLineAsync("  defaults: " + Describe(defaults)).ConfigureAwait(false);
        if (chosen.FalsePerHour > ActivityTuning.MaxFalsePerHour)
        {
            await summary.WriteLineAsync(Invariant($"  no candidate keeps absent prompts at or below {ActivityTuning.MaxFalsePerHour} false regions per hour: the best pooled F1 was chosen")).ConfigureAwait(false);
        }

        await summary.WriteLineAsync(points.Count == 0
            ? "  confidence: not calibrated (the chosen settings find no region)"
            : Invariant($"  confidence: {points.Count} point(s) from score {points[0].Score:F3} (p {points[0].Probability:F2}) to {points[^1].Score:F3} (p {points[^1].Probability:F2})")).ConfigureAwait(false);
        if (items.Select(i => i.SampleRate).Distinct().Where(r => r != model.SampleRate).ToList() is { Count: > 0 } rates)
        {
            await summary.WriteLineAsync(Invariant($"  note: frames measured at {string.Join(", ", rates)} Hz, the pipeline's at the model's {model.SampleRate} Hz; mixture energy above {model.SampleRate / 2} Hz lowers the shares measured here")).ConfigureAwait(false);
        }

        await summary.WriteLineAsync($"  written to {path} (drop \"search\" before pasting it into modelpack.json as \"activity\")").ConfigureAwait(false);
    }

    /// <summary>Indented JSON as in a model pack, apostrophes as they are and each <c>[score, probability]</c> pair on one line.</summary>
    private static string Serialize(object document)
    {
        var options = new JsonSerializerOptions(ProvenanceJson.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        return Pair().Replace(JsonSerializer.Serialize(document, options), "[$1, $2]") + "\n";
    }

    [GeneratedRegex(@"\[\s*(-?[0-9.eE+-]+),\s*(-?[0-9.eE+-]+)\s*\]")]
    private static partial Regex Pair();

    /// <summary>Points rounded to 4 decimals, which keeps them in order: region scores are rounded to 3.</summary>
    private static List<ConfidencePoint> Round(IReadOnlyList<ConfidencePoint> points)
    {
        var rounded = points.Select(p => new ConfidencePoint(Math.Round(p.Score, 4), Math.Round(p.Probability, 4))).ToList();
        if (rounded.Count > 0)
        {
            new ActivityConfidence("check", rounded).Validate();
        }

        return rounded;
    }

    private static object Figures(TuningFigures f) => new
    {
        minEnergyShare = f.Options.MinEnergyShare,
        seedEnergyShare = f.Options.SeedEnergyShare,
        minLevelDb = f.Options.MinLevelDb,
        maxGapSeconds = f.Options.MaxGapSeconds,
        minRegionSeconds = f.Options.MinRegionSeconds,
        f1 = Math.Round(f.MeanF1, 4),
        pooledF1 = Math.Round(f.PooledF1, 4),
        recall = Math.Round(f.MeanRecall, 4),
        precision = f.MeanPrecision is { } p ? Math.Round(p, 4) : (double?)null,
        falseRegionsPerHour = Math.Round(f.FalsePerHour, 3),
    };

    private static string Describe(TuningFigures f) => Invariant(
        $"share >= {f.Options.MinEnergyShare}{(f.Options.SeedEnergyShare is { } seed ? $" (a frame >= {seed})" : "")}, level >= {f.Options.MinLevelDb} dB, gaps <= {f.Options.MaxGapSeconds} s, regions >= {f.Options.MinRegionSeconds} s: F1 {f.MeanF1:F3}, pooled {f.PooledF1:F3} (R {f.MeanRecall:F3}, P {(f.MeanPrecision is { } p ? p.ToString("F3", CultureInfo.InvariantCulture) : "-")}), {f.FalsePerHour:F1} false/h on absent prompts");

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
