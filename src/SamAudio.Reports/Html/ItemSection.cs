using System.Globalization;
using SamAudio.Core.Provenance;

namespace SamAudio.Reports.Html;

/// <summary>One item of the report: pictures, excerpts, activity, outputs, provenance, warnings and failures.</summary>
internal static class ItemSection
{
    public static void Render(Html html, int index, ReportItem item, ItemAssets assets, ReportOptions options)
    {
        html.Raw($"<section id=\"item-{index + 1}\">\n<h2>").Text($"Item {item.Id}").Raw("</h2>\n");
        if (item.Run is not { } run)
        {
            html.Raw("<p class=\"fail\">").Text(item.Problem).Raw("</p>\n</section>\n");
            return;
        }

        html.Facts(
        [
            ("status", run.Status),
            ("recording", run.Input?.Recording),
            ("time range", $"{Html.Clock(item.StartSeconds)} to {Html.Clock(item.StartSeconds + item.DurationSeconds)} ({Html.Seconds(item.DurationSeconds)})"),
            ("prompts", string.Join("; ", run.Prompts.Select(p => $"\"{p.Text}\" ({p.Output})"))),
        ]);
        if (run.Error is not null) html.Raw("<p class=\"fail\">").Text($"Failed: {run.Error}").Raw("</p>\n");
        Warnings(html, run, assets);
        Pictures(html, assets);
        Excerpts(html, assets, options);
        Activity(html, item, run, options);
        Outputs(html, item, run);
        Provenance(html, run);
        html.Raw("</section>\n");
    }

    private static void Warnings(Html html, RunRecord run, ItemAssets assets)
    {
        if (run.Warnings.Count == 0 && assets.Notes.Count == 0) return;
        html.Raw("<h3>Warnings</h3>\n<ul>\n");
        foreach (string w in run.Warnings) html.Raw("<li class=\"warn\">").Text(w).Raw("</li>\n");
        foreach (string n in assets.Notes) html.Raw("<li>").Text($"Report: {n}").Raw("</li>\n");
        html.Raw("</ul>\n");
    }

    private static void Pictures(Html html, ItemAssets assets)
    {
        if (assets.Pictures.Count == 0) return;
        html.Raw("<h3>Spectrograms</h3>\n<p>").Text("Time in recording time, frequency in Hz, colour in dBFS (one scale for the whole item); the orange strip marks activity regions.").Raw("</p>\n");
        foreach (var p in assets.Pictures)
        {
            html.Raw("<figure><figcaption>").Text(p.Title.StartsWith(p.Source, StringComparison.Ordinal) ? p.Title : $"{p.Title}: {p.Source}").Raw("</figcaption>")
                .Raw("<img src=\"").Text(ReportPaths.Url(p.Path)).Raw($"\" width=\"{p.Width}\" height=\"{p.Height}\" alt=\"").Text($"Spectrogram of {p.Title}").Raw("\"></figure>\n");
        }
    }

    private static void Excerpts(Html html, ItemAssets assets, ReportOptions options)
    {
        if (assets.Excerpts.Count == 0) return;
        html.Raw("<h3>Excerpts</h3>\n<p>").Text($"Up to {options.ExcerptsPerPrompt} excerpts per prompt (at most {Html.Seconds(options.MaxExcerptSeconds)}) around its loudest activity regions, as 16-bit listening copies; the full outputs are linked below.").Raw("</p>\n<div class=\"wide\"><table>\n<tr><th>prompt</th><th>excerpt (recording time)</th><th>region</th><th>listen</th></tr>\n");
        foreach (var set in assets.Excerpts)
        {
            html.Raw("<tr>").Element("td", set.Prompt).Element("td", $"{Html.Clock(set.Window.StartSeconds)} to {Html.Clock(set.Window.EndSeconds)}")
                .Element("td", $"{Html.Clock(set.Window.Region.StartSeconds)} to {Html.Clock(set.Window.Region.EndSeconds)}, {Html.Number(set.Window.Region.LevelDb, "0.0")} dBFS").Raw("<td>");
            foreach (var clip in set.Clips)
            {
                html.Raw("<div>").Text(clip.Signal).Raw(" <audio controls preload=\"metadata\" src=\"").Text(ReportPaths.Url(clip.Path)).Raw("\"></audio> ").Link(clip.Path, "file")
                    .Text(clip.ClippedSamples > 0 ? $" ({clip.ClippedSamples} samples held at full scale in this copy)" : string.Empty).Raw("</div>");
            }

            html.Raw("</td></tr>\n");
        }

        html.Raw("</table></div>\n");
    }

    private static void Activity(Html html, ReportItem item, RunRecord run, ReportOptions options)
    {
        html.Raw("<h3>Activity</h3>\n");
        foreach (var prompt in run.Prompts)
        {
            var regions = item.Activity.GetValueOrDefault(prompt.Text) ?? [];
            var csv = run.Outputs.FirstOrDefault(o => o.Kind == "activity" && o.Prompt == prompt.Text);
            html.Raw("<p>").Text($"\"{prompt.Text}\": {regions.Count} region(s)");
            if (csv is not null) html.Text(", all in ").Link(ItemPath(item, csv.Path), csv.Path);
            html.Raw("</p>\n");
            if (regions.Count == 0) continue;
            html.Raw("<div class=\"wide\"><table>\n<tr><th>start</th><th>end</th><th>level (dBFS)</th><th>confidence</th></tr>\n");
            foreach (var r in regions.Take(options.MaxActivityRows))
            {
                html.Row(Html.Clock(r.StartSeconds), Html.Clock(r.EndSeconds), Html.Number(r.LevelDb, "0.00"), Html.Number(r.Confidence, "0.000"));
            }

            html.Raw("</table></div>\n");
            if (regions.Count > options.MaxActivityRows) html.Element("p", $"{regions.Count - options.MaxActivityRows} more region(s) in the CSV.");
        }
    }

    private static void Outputs(Html html, ReportItem item, RunRecord run)
    {
        html.Raw("<h3>Outputs</h3>\n<div class=\"wide\"><table>\n<tr><th>file</th><th>kind</th><th>prompt</th><th>size (bytes)</th><th>SHA-256</th></tr>\n");
        foreach (var o in run.Outputs)
        {
            html.Raw("<tr><td>").Link(ItemPath(item, o.Path), o.Path).Raw("</td>").Element("td", o.Kind).Element("td", o.Prompt)
                .Element("td", o.SizeBytes.ToString(CultureInfo.InvariantCulture)).Raw("<td class=\"hash\">").Text(o.Sha256).Raw("</td></tr>\n");
        }

        html.Raw("</table></div>\n");
    }

    private static void Provenance(Html html, RunRecord run)
    {
        var p = run.Parameters;
        html.Raw("<h3>Provenance</h3>\n").Facts(
        [
            ("input", run.Input is { } i ? $"{i.Recording}: {i.Container} {i.Encoding}, {i.SampleRate} Hz, {i.Channels} channel(s), {i.Frames} frames ({Html.Seconds(i.DurationSeconds)}), {i.SizeBytes} bytes" : "not read"),
            ("input SHA-256", run.Input?.Sha256),
            ("model", $"{run.Model.Id} {run.Model.Version} ({run.Model.Family}, {run.Model.ExecutionProvider})"),
            ("parameters", $"channel {p.Channel}, frames {p.StartFrame} to {p.EndFrame}, segments {Html.Seconds(p.SegmentSeconds)} with {Html.Seconds(p.OverlapSeconds)} overlap, model rate {p.ModelSampleRate} Hz, output rate {p.OutputSampleRate} Hz ({p.OutputSampleRateMode})"),
            ("seed", p.Seed.ToString(CultureInfo.InvariantCulture)),
            ("software", $"{run.Software.Name} {run.Software.Version}, {run.Software.Runtime}, {run.Software.OperatingSystem}"),
            ("machine", run.Machine is { } m ? $"{m.Architecture}, {m.Processors} processors, {string.Join(' ', m.VectorExtensions)}" : null),
            ("fingerprint", run.Fingerprint),
            ("run", $"{run.StartedAt:u} to {run.FinishedAt:u}"),
            ("timings", string.Join(", ", run.TimingsSeconds.Select(t => $"{t.Key} {Html.Seconds(t.Value)}"))),
        ]);
        foreach (var prompt in run.Prompts.Where(x => x.Interpretation is not null))
        {
            var r = prompt.Interpretation!;
            html.Element("p", $"\"{prompt.Text}\" read as {r.Reading} (class {r.Class}, similarity {Html.Number(r.Similarity, "0.00")}): {string.Join("; ", r.Captions)}");
        }

        html.Raw("<div class=\"wide\"><table>\n<tr><th>model file</th><th>size (bytes)</th><th>SHA-256</th></tr>\n");
        foreach (var f in run.Model.Files)
        {
            html.Raw("<tr>").Element("td", f.Path).Element("td", f.Size.ToString(CultureInfo.InvariantCulture)).Raw("<td class=\"hash\">").Text(f.Sha256).Raw("</td></tr>\n");
        }

        html.Raw("</table></div>\n");
    }

    private static string ItemPath(ReportItem item, string path) => item.Folder.Length == 0 ? path : $"{item.Folder}/{path}";
}
