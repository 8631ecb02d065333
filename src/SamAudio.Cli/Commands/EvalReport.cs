using System.Globalization;
using System.Text.Json;
using SamAudio.Core.Evaluation;
using SamAudio.Core.Provenance;
using SamAudio.Core.Separation;

namespace SamAudio.Cli.Commands;

/// <summary><c>samaudio eval</c>'s report: a line per item while it runs, then per class and overall, or one JSON object.</summary>
internal static class EvalReport
{
    public static async Task ReportAsync(CliConsole console, string model, List<EvalScore> scores, bool json)
    {
        var scored = scores.Where(s => s.SiSdri is not null).ToList();
        var absent = scores.Where(s => s.AbsentEnergyDb is not null).ToList();
        double? meanSiSdri = scored.Count > 0 ? Round(scored.Average(s => s.SiSdri!.Value)) : null;
        double? meanAbsent = absent.Count > 0 ? Round(absent.Average(s => s.AbsentEnergyDb!.Value)) : null;
        var perClass = scores.GroupBy(s => s.Item.Class, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new
        {
            @class = g.Key,
            items = g.Count(),
            meanSiSdri = g.Any(s => s.SiSdri is not null) ? Round(g.Where(s => s.SiSdri is not null).Average(s => s.SiSdri!.Value)) : (double?)null,
            meanAbsentEnergyDb = g.Any(s => s.AbsentEnergyDb is not null) ? Round(g.Where(s => s.AbsentEnergyDb is not null).Average(s => s.AbsentEnergyDb!.Value)) : (double?)null,
        }).ToList();
        if (json)
        {
            var items = scores.Select(s => new
            {
                mixture = Path.GetFileName(s.Item.Mixture),
                prompt = s.Item.Prompt,
                @class = s.Item.Class,
                siSdr = s.SiSdr,
                mixtureSiSdr = s.MixtureSiSdr,
                siSdri = s.SiSdri,
                absentEnergyDb = s.AbsentEnergyDb,
                reading = s.Reading?.Reading,
                readAs = s.Reading?.Class,
                error = s.Error,
                soundscape = s.Soundscape is not { } sc ? null : new
                {
                    baselineSiSdri = sc.MeanBaseline is { } b ? Round(b) : (double?)null,
                    events = sc.Match.Events,
                    found = sc.Match.Found,
                    regions = sc.Match.Regions,
                    falseRegions = sc.Match.FalseRegions,
                    recall = sc.Match.Recall,
                    precision = sc.Match.Precision,
                    f1 = sc.Match.F1,
                    falseRegionsPerHour = Round(sc.FalsePerHour),
                    perEvent = sc.Events.Select(e => new { start = e.Event.StartSeconds, end = e.Event.EndSeconds, snr = double.IsNaN(e.Event.SnrDb) ? (double?)null : e.Event.SnrDb, package = e.Event.Package, wholePackage = e.Event.WholePackage, siSdri = Round(e.Model), baselineSiSdri = Round(e.Baseline) }),
                },
            });
            // Every key is always present (null where nothing was scored), so scripts can read it without checks.
            var options = new JsonSerializerOptions(ProvenanceJson.Options) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.Never };
            await console.Out.WriteLineAsync(JsonSerializer.Serialize(new { model, items, perClass, meanSiSdri, meanAbsentEnergyDb = meanAbsent, soundscape = SoundscapeReport.Summary(scores.Where(s => s.Soundscape is not null).Select(s => s.Soundscape!).ToList()) }, options)).ConfigureAwait(false);
            return;
        }

        var scapes = scores.Where(s => s.Soundscape is not null).ToList();
        if (scapes.Count > 0)
        {
            foreach (string line in SoundscapeReport.Lines(scapes.Select(s => (s.Item.Class, s.Soundscape!)).ToList()))
            {
                await console.Out.WriteLineAsync(line).ConfigureAwait(false);
            }
        }

        foreach (var c in perClass.Where(c => !scapes.Any(s => s.Item.Class == c.@class)))
        {
            await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{c.@class,-16} {c.items,3} item(s)  SI-SDRi {Show(c.meanSiSdri)} dB  absent-prompt energy {Show(c.meanAbsentEnergyDb)} dB")).ConfigureAwait(false);
        }

        var readings = scores.Where(s => s.Reading is not null).GroupBy(s => s.Reading!.Reading, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        if (readings.Count > 0)
        {
            await console.Out.WriteLineAsync("prompts read as: " + string.Join(", ", readings.Select(g => $"{g.Key} {g.Count()}"))).ConfigureAwait(false);
        }

        await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{model}: mean SI-SDRi {Show(meanSiSdri)} dB over {scored.Count} item(s); absent prompts: mean target energy {Show(meanAbsent)} dB relative to the mixture over {absent.Count} item(s)")).ConfigureAwait(false);
    }

    public static string Describe(EvalScore s) => s.Error is not null
        ? $"{Path.GetFileName(s.Item.Mixture)} \"{s.Item.Prompt}\": failed: {s.Error}"
        : s.Soundscape is { } sc
            ? string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(s.Item.Mixture)} \"{s.Item.Prompt}\" (soundscape): {sc.Events.Count} event(s), SI-SDRi {Show(sc.MeanModel)} dB (spectral subtraction {Show(sc.MeanBaseline)}), {sc.Match.Regions} region(s), {sc.Match.FalseRegions} false")
        : s.SiSdri is not null
            ? string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(s.Item.Mixture)} \"{s.Item.Prompt}\": SI-SDR {s.SiSdr:F2} dB (mixture {s.MixtureSiSdr:F2}), SI-SDRi {s.SiSdri:F2} dB")
            : string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(s.Item.Mixture)} \"{s.Item.Prompt}\" (absent): target energy {s.AbsentEnergyDb:F2} dB relative to the mixture");

    private static string Show(double? value) => value is { } v ? v.ToString("F2", CultureInfo.InvariantCulture) : "-";

    public static double Round(double value) => Math.Round(value, 3);

    /// <summary>One item's scores; <c>Reading</c> is how the model read the prompt (null for a pack without a vocabulary).</summary>
    public sealed record EvalScore(
        EvalItem Item, double? SiSdr, double? MixtureSiSdr, double? SiSdri, double? AbsentEnergyDb, string? Error, PromptInterpretation? Reading, SoundscapeScore? Soundscape);
}
