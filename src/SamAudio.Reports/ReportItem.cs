using System.Globalization;
using SamAudio.Core.Activity;
using SamAudio.Core.Provenance;

namespace SamAudio.Reports;

/// <summary>
/// One item as a report sees it: its <c>run.json</c>, its folder (relative to the report's folder, "" when the report
/// sits in it), its activity regions per prompt text, and what kept it from being read, if anything.
/// </summary>
internal sealed record ReportItem(string Id, string Folder, RunRecord? Run, IReadOnlyDictionary<string, IReadOnlyList<ActivityRegion>> Activity, string? Problem)
{
    /// <summary>Recording time of the item's first frame.</summary>
    public double StartSeconds => Run is { Input: { } input } run && input.SampleRate > 0 ? run.Parameters.StartFrame / (double)input.SampleRate : 0;

    public double DurationSeconds => Run is { Input: { } input } run && input.SampleRate > 0 ? (run.Parameters.EndFrame - run.Parameters.StartFrame) / (double)input.SampleRate : 0;

    /// <summary>Reads <c>run.json</c> and the activity CSVs it lists; a missing or unreadable file becomes <see cref="Problem"/>.</summary>
    public static async Task<ReportItem> LoadAsync(string reportFolder, string id, string folder, CancellationToken cancellationToken)
    {
        string full = Path.Combine(reportFolder, folder);
        string runPath = Path.Combine(full, "run.json");
        if (!File.Exists(runPath))
        {
            return new ReportItem(id, folder, null, new Dictionary<string, IReadOnlyList<ActivityRegion>>(), "run.json is missing: the item has not finished.");
        }

        RunRecord? run;
        try
        {
            run = ProvenanceJson.Deserialize<RunRecord>(await File.ReadAllTextAsync(runPath, cancellationToken).ConfigureAwait(false));
        }
        catch (System.Text.Json.JsonException e)
        {
            return new ReportItem(id, folder, null, new Dictionary<string, IReadOnlyList<ActivityRegion>>(), $"run.json cannot be read: {e.Message}");
        }

        var activity = new Dictionary<string, IReadOnlyList<ActivityRegion>>(StringComparer.Ordinal);
        foreach (var output in run?.Outputs.Where(o => o.Kind == "activity" && o.Prompt is not null) ?? [])
        {
            string csv = Path.Combine(full, output.Path);
            if (File.Exists(csv))
            {
                activity[output.Prompt!] = ParseCsv(await File.ReadAllLinesAsync(csv, cancellationToken).ConfigureAwait(false));
            }
        }

        return new ReportItem(id, folder, run, activity, null);
    }

    /// <summary>Regions of a <c>start,end,level_db,confidence</c> table (<see cref="ActivityTables.ToCsv"/>); bad rows are skipped.</summary>
    internal static List<ActivityRegion> ParseCsv(IEnumerable<string> lines)
    {
        var regions = new List<ActivityRegion>();
        foreach (string line in lines.Skip(1))
        {
            var f = line.Split(',');
            if (f.Length >= 4
                && double.TryParse(f[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double start)
                && double.TryParse(f[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double end)
                && double.TryParse(f[2], NumberStyles.Float, CultureInfo.InvariantCulture, out double level)
                && double.TryParse(f[3], NumberStyles.Float, CultureInfo.InvariantCulture, out double confidence))
            {
                regions.Add(new ActivityRegion(start, end, level, confidence));
            }
        }

        return regions;
    }
}
