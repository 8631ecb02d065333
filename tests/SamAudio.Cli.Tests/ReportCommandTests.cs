using System.Text.Json;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using SamAudio.Core.Audio;
using SamAudio.Core.Provenance;

namespace SamAudio.Cli.Tests;

public sealed class ReportCommandTests
{
    private const string Hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>";

    [Fact]
    public async Task Batch_report_has_a_summary_and_item_sections_whose_images_and_audio_exist_and_are_hashed_in_job_json()
    {
        using var dir = new TempFolder();
        WriteBursts(dir["a.wav"], 16000, 12);
        WriteBursts(dir["b.wav"], 22050, 9);
        File.WriteAllText(dir["manifest.json"], """
            { "schema": "samaudio.manifest/v1", "jobId": "rep", "defaults": { "prompts": [ { "text": "a tone", "output": "both" } ] },
              "items": [ { "id": "one", "recording": "a.wav", "start": "00:00:02" }, { "id": "two", "recording": "b.wav" },
                         { "id": "gone", "recording": "missing.wav" } ] }
            """);

        var (code, _, stderr) = await CliRunner.RunAsync("batch", dir["manifest.json"], "--out", dir["out"], "--model", "passthrough", "--quiet", "--report");

        Assert.True(code == 3, stderr); // the missing recording fails its item only
        string jobFolder = dir["out/rep"];
        var page = Parse(Path.Combine(jobFolder, "report.html"));
        Assert.NotNull(page.QuerySelector("#summary"));
        Assert.Equal(3, page.QuerySelectorAll("section[id^=item-]").Length);
        Assert.Contains("missing.wav", page.QuerySelector("#summary")!.TextContent);
        var job = ProvenanceJson.Deserialize<JobRecord>(File.ReadAllText(Path.Combine(jobFolder, "job.json")))!;
        Assert.NotNull(job.Report);
        var listed = job.Report.Files.ToDictionary(f => f.Path, f => f.Sha256);
        Assert.Contains("report.html", listed.Keys);
        foreach (var f in job.Report.Files)
        {
            Assert.Equal(TestRecordings.Sha256Sum(Path.Combine(jobFolder, f.Path)), f.Sha256);
        }

        var media = page.QuerySelectorAll("img, audio").Select(e => Uri.UnescapeDataString(e.GetAttribute("src")!)).ToList();
        Assert.Equal(2 * 3, page.QuerySelectorAll("img").Length); // mixture, target, residual per completed item
        Assert.NotEmpty(page.QuerySelectorAll("audio"));
        foreach (string src in media)
        {
            Assert.True(File.Exists(Path.Combine(jobFolder, src)), src);
            Assert.Contains(src, listed.Keys);
        }

        foreach (string href in page.QuerySelectorAll("a[href]").Select(a => a.GetAttribute("href")!).Where(h => !h.StartsWith('#')))
        {
            Assert.True(File.Exists(Path.Combine(jobFolder, Uri.UnescapeDataString(href))), href);
        }

        foreach (string audio in media.Where(m => m.EndsWith(".wav", StringComparison.Ordinal)))
        {
            using var reader = AudioReaders.Open(Path.Combine(jobFolder, audio));
            Assert.InRange(reader.Info.Frames / (double)reader.Info.SampleRate, 1, 30);
        }

        string csp = page.QuerySelector("meta[http-equiv=Content-Security-Policy]")!.GetAttribute("content")!;
        Assert.Contains("default-src 'none'", csp);
        Assert.Empty(page.QuerySelectorAll("script"));
        Assert.Equal(File.ReadAllLines(Path.Combine(jobFolder, "report.sha256")).Length, job.Report.Files.Count);
        Assert.Contains("0:00:02.000 to 0:00:12.000", page.QuerySelector("#item-1")!.TextContent); // the item's range, in recording time
    }

    [Fact]
    public async Task Resume_without_report_rebuilds_the_report_of_the_previous_run_and_keeps_it_in_job_json()
    {
        using var dir = new TempFolder();
        WriteBursts(dir["a.wav"], 16000, 6);
        WriteBursts(dir["b.wav"], 16000, 5);
        File.WriteAllText(dir["manifest.json"], """
            { "schema": "samaudio.manifest/v1", "jobId": "res", "defaults": { "prompts": [ { "text": "a tone", "output": "both" } ] },
              "items": [ { "id": "one", "recording": "a.wav" }, { "id": "two", "recording": "b.wav" } ] }
            """);
        var (code, _, stderr) = await CliRunner.RunAsync("batch", dir["manifest.json"], "--out", dir["out"], "--model", "passthrough", "--quiet", "--report");
        Assert.True(code == 0, stderr);
        string jobFolder = dir["out/res"];
        File.Delete(Path.Combine(jobFolder, "two", "run.json")); // an unfinished item: resume redoes it
        var firstPage = File.ReadAllText(Path.Combine(jobFolder, "report.html"));

        (code, _, stderr) = await CliRunner.RunAsync("batch", dir["manifest.json"], "--out", dir["out"], "--model", "passthrough", "--quiet", "--resume");

        Assert.True(code == 0, stderr);
        var job = ProvenanceJson.Deserialize<JobRecord>(File.ReadAllText(Path.Combine(jobFolder, "job.json")))!;
        Assert.NotNull(job.Report);
        foreach (var f in job.Report.Files)
        {
            Assert.Equal(TestRecordings.Sha256Sum(Path.Combine(jobFolder, f.Path)), f.Sha256);
        }

        var listed = File.ReadAllLines(Path.Combine(jobFolder, "report.sha256")).Select(l => l.Split("  ")[1]).ToHashSet();
        Assert.Equal(job.Report.Files.Select(f => f.Path).ToHashSet(), listed);
        Assert.NotEqual(firstPage, File.ReadAllText(Path.Combine(jobFolder, "report.html"))); // rebuilt: it shows the redone item's new run
    }

    [Fact]
    public async Task Markup_in_a_prompt_and_in_ids_read_back_from_the_outputs_renders_as_plain_text()
    {
        using var dir = new TempFolder();
        WriteBursts(dir["a.wav"], 16000, 6);
        File.WriteAllText(dir["manifest.json"], JsonSerializer.Serialize(new
        {
            schema = "samaudio.manifest/v1",
            jobId = "xss",
            items = new[] { new { id = "one", recording = "a.wav", prompts = new[] { new { text = Hostile, output = "both" } } } },
        }));

        var (code, _, stderr) = await CliRunner.RunAsync("batch", dir["manifest.json"], "--out", dir["out"], "--model", "passthrough", "--quiet", "--report");
        Assert.True(code == 0, stderr);
        AssertInert(Parse(dir["out/xss/report.html"]));

        // Ids cannot hold markup in a manifest, but a report is rebuilt from files anyone may have edited.
        string jobPath = dir["out/xss/job.json"], runPath = dir["out/xss/one/run.json"];
        var job = ProvenanceJson.Deserialize<JobRecord>(File.ReadAllText(jobPath))!;
        File.WriteAllText(jobPath, ProvenanceJson.Serialize(job with { JobId = Hostile, Items = [job.Items[0] with { Id = Hostile }] }));
        var run = ProvenanceJson.Deserialize<RunRecord>(File.ReadAllText(runPath))!;
        File.WriteAllText(runPath, ProvenanceJson.Serialize(run with { ItemId = Hostile, Warnings = [Hostile] }));

        (code, _, stderr) = await CliRunner.RunAsync("report", dir["out/xss"], "--quiet");

        Assert.True(code == 0, stderr);
        var page = Parse(dir["out/xss/report.html"]);
        AssertInert(page);
        Assert.Contains(Hostile, page.QuerySelector("h1")!.TextContent);
        Assert.Contains(Hostile, page.QuerySelector("#item-1 h2")!.TextContent);
    }

    [Fact]
    public async Task Report_command_rebuilds_from_the_outputs_alone_and_separate_writes_its_own_report()
    {
        using var dir = new TempFolder();
        WriteBursts(dir["a.wav"], 16000, 6);
        File.WriteAllText(dir["manifest.json"], """{ "schema": "samaudio.manifest/v1", "jobId": "later", "defaults": { "prompts": [ { "text": "a tone", "output": "both" } ] }, "items": [ { "id": "one", "recording": "a.wav" } ] }""");
        var (code, _, stderr) = await CliRunner.RunAsync("batch", dir["manifest.json"], "--out", dir["out"], "--model", "passthrough", "--quiet");
        Assert.True(code == 0, stderr);
        Assert.False(File.Exists(dir["out/later/report.html"]));

        (code, var stdout, stderr) = await CliRunner.RunAsync("report", dir["out/later"], "--json");

        Assert.True(code == 0, stderr);
        using (var result = JsonDocument.Parse(stdout))
        {
            Assert.EndsWith("report.html", result.RootElement.GetProperty("report").GetString());
        }

        Assert.Contains("target + residual", Parse(dir["out/later/report.html"]).QuerySelector("#item-1")!.TextContent);

        (code, _, stderr) = await CliRunner.RunAsync("separate", dir["a.wav"], "--prompt", "a tone", "--output", "both", "--out", dir["sep"], "--model", "passthrough", "--quiet", "--report");

        Assert.True(code == 0, stderr);
        var page = Parse(dir["sep/a/report.html"]);
        Assert.Equal(3, page.QuerySelectorAll("img").Length);
        Assert.All(page.QuerySelectorAll("img"), img => Assert.True(File.Exists(Path.Combine(dir["sep/a"], img.GetAttribute("src")!))));
        Assert.Contains("SHA-256 checked", page.QuerySelector("#item-1")!.TextContent); // the mixture from the recording itself
    }

    [Fact]
    public async Task Report_of_a_folder_without_job_json_or_run_json_is_invalid_input()
    {
        using var dir = new TempFolder();
        var (code, _, stderr) = await CliRunner.RunAsync("report", dir.Path);
        Assert.Equal(2, code);
        Assert.Contains("neither job.json", stderr);
    }

    internal static IDocument Parse(string path) => new HtmlParser().ParseDocument(File.ReadAllText(path));

    private static void AssertInert(IDocument page)
    {
        Assert.Empty(page.QuerySelectorAll("script"));
        Assert.DoesNotContain(page.All, e => e.Attributes.Any(a => a.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase)));
        Assert.DoesNotContain(page.QuerySelectorAll("img"), img => img.GetAttribute("src") == "x");
        Assert.Contains(Hostile, page.Body!.TextContent);
    }

    /// <summary>A 1 kHz tone in 1 s bursts every 3 s over a little noise, written with the product's WAV writer.</summary>
    internal static void WriteBursts(string path, int rate, double seconds)
    {
        var random = new Random(1);
        using var writer = WavOutputWriter.Create(path, rate, []);
        var samples = new float[(int)(seconds * rate)];
        for (int i = 0; i < samples.Length; i++)
        {
            double t = i / (double)rate;
            samples[i] = (float)(((t % 3) < 1 ? 0.5 * Math.Sin(2 * Math.PI * 1000 * t) : 0) + (0.001 * (random.NextDouble() - 0.5)));
        }

        writer.Write(samples);
        writer.Complete();
    }
}
