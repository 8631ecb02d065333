using System.Globalization;

namespace SamAudio.Cli.Commands;

/// <summary>The soundscape part of <c>samaudio eval</c>'s report: a line per prompt and the means.</summary>
internal static class SoundscapeReport
{
    public static IEnumerable<string> Lines(IReadOnlyList<(string Class, SoundscapeScore Score)> scores)
    {
        yield return "soundscape: class, events, SI-SDRi over event spans (model / spectral subtraction), recall / precision / F1 of the activity table, false regions per hour";
        foreach (var (cls, s) in scores.OrderBy(p => p.Score.Events.Count == 0).ThenBy(p => p.Class, StringComparer.Ordinal))
        {
            yield return s.Events.Count > 0
                ? Invariant($"{cls,-12} {s.Events.Count,3} events  SI-SDRi {s.MeanModel,6:F2} / {s.MeanBaseline,6:F2} dB  R {Show(s.Match.Recall)} P {Show(s.Match.Precision)} F1 {Show(s.Match.F1)}  {s.FalsePerHour,6:F1} false/h")
                : Invariant($"{cls,-12} absent      target energy {s.AbsentEnergyDb,7:F2} dB relative to the mixture  {s.Match.Regions} region(s), {s.FalsePerHour,6:F1} false/h");
        }

        var summary = Summary(scores.Select(p => p.Score).ToList());
        yield return Invariant($"soundscape means: event SI-SDRi {Show(summary.MeanSiSdri)} dB (spectral subtraction {Show(summary.MeanBaselineSiSdri)}) over {summary.Events} events; whole held-out packages {Show(summary.WholePackageSiSdri)} dB (baseline {Show(summary.WholePackageBaselineSiSdri)}) over {summary.WholePackageEvents}; activity F1 {Show(summary.MeanF1)} (mean over classes); absent prompts {Show(summary.MeanAbsentEnergyDb)} dB, {Show(summary.AbsentFalsePerHour)} false regions/h");
    }

    /// <summary>
    /// Means over every event (not per class first), the mean F1 over prompted classes, and the absent prompts' mean
    /// energy and false regions per hour (summed over absent prompts, per hour of recording, divided by their count).
    /// </summary>
    public static SoundscapeSummary Summary(IReadOnlyList<SoundscapeScore> scores)
    {
        var events = scores.SelectMany(s => s.Events).ToList();
        var whole = events.Where(e => e.Event.WholePackage).ToList();
        var present = scores.Where(s => s.Events.Count > 0 && s.Match.F1 is not null).ToList();
        var absent = scores.Where(s => s.AbsentEnergyDb is not null).ToList();
        static double? Mean(IEnumerable<double> v) => v.Any() ? Math.Round(v.Average(), 3) : null;
        return new SoundscapeSummary(
            events.Count, Mean(events.Select(e => e.Model)), Mean(events.Select(e => e.Baseline)),
            whole.Count, Mean(whole.Select(e => e.Model)), Mean(whole.Select(e => e.Baseline)),
            Mean(present.Select(s => s.Match.F1!.Value)), Mean(absent.Select(s => s.AbsentEnergyDb!.Value)), Mean(absent.Select(s => s.FalsePerHour)));
    }

    private static string Show(double? v) => v is { } x ? x.ToString("F2", CultureInfo.InvariantCulture) : "-";

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}

internal sealed record SoundscapeSummary(
    int Events, double? MeanSiSdri, double? MeanBaselineSiSdri, int WholePackageEvents, double? WholePackageSiSdri, double? WholePackageBaselineSiSdri,
    double? MeanF1, double? MeanAbsentEnergyDb, double? AbsentFalsePerHour);
