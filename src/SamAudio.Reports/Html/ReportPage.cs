using System.Security.Cryptography;
using System.Text;
using SamAudio.Core.Provenance;

namespace SamAudio.Reports.Html;

/// <summary>
/// The static report page: a job summary, then one section per item. No script, no external asset; a
/// Content-Security-Policy allows only this page's own style block (by hash) and images and audio from its own origin.
/// </summary>
internal static class ReportPage
{
    private const string Style = """
        body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:1240px;padding:16px;color:#222;line-height:1.4}
        h1{font-size:1.6em}h2{border-top:2px solid #ccc;padding-top:12px;margin-top:32px}h3{margin-top:20px}
        table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid #ddd;padding:2px 8px;text-align:left;vertical-align:top}
        td{overflow-wrap:anywhere}.wide{overflow-x:auto}img{max-width:100%;height:auto;display:block;margin:4px 0 12px}
        .facts th{background:#f4f4f4;font-weight:600;white-space:nowrap}.warn{color:#8a4b00}.fail{color:#b00020;font-weight:600}
        .hash{font-family:ui-monospace,monospace;font-size:.85em}audio{width:300px;vertical-align:middle}figure{margin:0}
        """;

    public static string Render(string title, JobRecord? job, IReadOnlyList<(ReportItem Item, ItemAssets Assets)> items, ReportOptions options)
    {
        string styleHash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Style)));
        var html = new Html();
        html.Raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Raw($"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src 'self'; media-src 'self'; style-src 'sha256-{styleHash}'; base-uri 'none'; form-action 'none'\">\n")
            .Raw("<meta name=\"referrer\" content=\"no-referrer\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Raw("<title>").Text($"SamAudio report: {title}").Raw("</title>\n")
            .Raw("<style>").Raw(Style).Raw("</style>\n</head>\n<body>\n");
        html.Raw("<h1>").Text($"SamAudio report: {title}").Raw("</h1>\n");
        Summary(html, job, items);
        for (int i = 0; i < items.Count; i++)
        {
            ItemSection.Render(html, i, items[i].Item, items[i].Assets, options);
        }

        html.Raw("<footer><p>").Text($"Written by {ProvenanceJson.Software.Name} {ProvenanceJson.Software.Version} from the job's outputs; the hashes of this page and its files are in job.json (report) and report.sha256.").Raw("</p></footer>\n");
        return html.Raw("</body>\n</html>\n").ToString();
    }

    private static void Summary(Html html, JobRecord? job, IReadOnlyList<(ReportItem Item, ItemAssets Assets)> items)
    {
        var runs = items.Select(x => x.Item.Run).OfType<RunRecord>().ToList();
        var done = items.Where(x => x.Item.Run?.Status == "completed").ToList();
        double audio = done.Sum(x => x.Item.DurationSeconds);
        double busy = done.Sum(x => job?.Items.FirstOrDefault(j => j.Id == x.Item.Id)?.Seconds is > 0 and var s ? s : (x.Item.Run!.FinishedAt - x.Item.Run.StartedAt).TotalSeconds);
        var failed = items.Where(x => x.Item.Run?.Status == "failed" || x.Item.Problem is not null || job?.Items.FirstOrDefault(j => j.Id == x.Item.Id)?.Status == "failed").ToList();
        html.Raw("<section id=\"summary\">\n<h2>Summary</h2>\n").Facts(
        [
            ("job", job?.JobId),
            ("status", job?.Status ?? (failed.Count == 0 ? "completed" : "failed")),
            ("model", job?.Model ?? runs.FirstOrDefault()?.Model.Id),
            ("items", job is null ? items.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)
                : $"{job.Counts.Items} ({job.Counts.Completed} completed, {job.Counts.Skipped} skipped as already done, {job.Counts.Failed} failed)"),
            ("audio", $"{Html.Number(audio / 3600, "0.###")} h ({Html.Seconds(audio)}) in completed items"),
            ("speed", busy > 0 ? $"{Html.Number(audio / busy, "0.0")}x real time ({Html.Seconds(busy)} of processing)" : "not measured (items skipped as already done)"),
            ("job time", job is null ? null : $"{job.StartedAt:u} to {job.FinishedAt:u} ({Html.Seconds(job.ElapsedSeconds)})"),
            ("manifest SHA-256", job?.ManifestSha256),
        ]);
        if (failed.Count > 0)
        {
            html.Raw("<h3 class=\"fail\">Failures</h3>\n<ul>\n");
            foreach (var (item, _) in failed)
            {
                string? error = item.Problem ?? item.Run?.Error ?? job?.Items.FirstOrDefault(j => j.Id == item.Id)?.Error;
                html.Raw("<li>").Element("strong", item.Id).Text(": ").Text(error).Raw("</li>\n");
            }

            html.Raw("</ul>\n");
        }

        html.Raw("<h3>Items</h3>\n<ul>\n");
        for (int i = 0; i < items.Count; i++)
        {
            html.Raw($"<li><a href=\"#item-{i + 1}\">").Text(items[i].Item.Id).Raw("</a> ").Text($"({items[i].Item.Run?.Status ?? "not finished"})").Raw("</li>\n");
        }

        html.Raw("</ul>\n</section>\n");
    }
}
