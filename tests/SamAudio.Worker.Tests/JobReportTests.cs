using System.Security.Cryptography;
using AngleSharp.Html.Parser;
using SamAudio.Core.Provenance;
using SamAudio.Storage;
using SamAudio.Storage.Ingestion;
using SamAudio.Storage.Submission;
using SamAudio.Storage.Tests;

namespace SamAudio.Worker.Tests;

/// <summary>
/// The job report on the cloud path: the worker that completes a job writes <c>report.html</c>, its pictures and
/// excerpts under <c>&lt;jobId&gt;/</c> before <c>job.json</c>, and <c>samaudio fetch</c> brings a page that works
/// from the fetched folder alone, with every file's hash in <c>job.json</c>.
/// </summary>
public sealed class JobReportTests : IAsyncLifetime
{
    private const string Manifest = """
        { "schema": "samaudio.manifest/v1", "jobId": "rep", "model": "passthrough",
          "defaults": { "prompts": [ { "text": "a tone", "output": "both" } ] },
          "items": [ { "id": "long", "recording": "site/long.wav" },
                     { "id": "stereo", "recording": "site/stereo.wav", "channel": "mix", "start": "00:00:01.5" } ] }
        """;

    private readonly TestStorage _storage = new();
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("samaudio-report-");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _storage.CleanUpAsync();
        _folder.Delete(recursive: true);
    }

    [Fact]
    public async Task Completing_worker_stores_a_report_that_fetch_brings_down_whole_and_hashed()
    {
        string site = Directory.CreateDirectory(Path.Combine(_folder.FullName, "in", "site")).FullName;
        TestRecording.Write(Path.Combine(site, "long.wav"), 8_000, 1, 40, seed: 1);
        TestRecording.Write(Path.Combine(site, "stereo.wav"), 16_000, 2, 6, seed: 2);
        string manifestPath = Path.Combine(_folder.FullName, "in", "rep.json");
        await File.WriteAllTextAsync(manifestPath, Manifest);

        var options = _storage.Options with { ShardLength = TimeSpan.FromSeconds(15) };
        var submitted = await new ManifestSubmitter(_storage.Blobs, options).SubmitAsync(manifestPath);
        Assert.Empty(submitted.Errors);
        var ingested = await new ManifestIngestor(_storage.Blobs, options).IngestAsync(submitted.ManifestBlob!);
        Assert.Equal(IngestOutcome.Accepted, ingested.Outcome);
        Assert.True(ingested.WorkItems.Count(w => w.ItemId == "long") >= 2, $"{ingested.WorkItems.Count} work items"); // the report reads assembled outputs
        await WorkQueueSender.SendAsync(_storage.Factory.CreateQueueClient(ingested.Queue!), ingested.Messages);

        using (var worker = WorkerProcess.Start(ProcessSettings.Worker(_storage, options), "--drain"))
        {
            Assert.True(await worker.WaitAsync(TimeSpan.FromMinutes(3)) == 0, worker.Output);
        }

        string fetched = Path.Combine(_folder.FullName, "fetched");
        using (var fetch = WorkerProcess.Start("samaudio", ProcessSettings.Cli(_storage, options), "fetch", "rep", "--out", fetched, "--quiet"))
        {
            Assert.True(await fetch.WaitAsync(TimeSpan.FromMinutes(2)) == 0, fetch.Output);
        }

        string jobFolder = Path.Combine(fetched, "rep");
        string pagePath = Path.Combine(jobFolder, "report.html");
        Assert.True(File.Exists(pagePath), "fetch brings the report the worker stored");
        var job = ProvenanceJson.Deserialize<JobRecord>(await File.ReadAllTextAsync(Path.Combine(jobFolder, "job.json")))!;
        Assert.Equal("completed", job.Status);
        Assert.NotNull(job.Report);
        Assert.Equal("report.html", job.Report.Path);
        var listed = job.Report.Files.ToDictionary(f => f.Path, StringComparer.Ordinal);
        foreach (var file in job.Report.Files)
        {
            string local = Path.Combine(jobFolder, file.Path);
            Assert.True(File.Exists(local), $"{file.Path} is listed in job.json but was not fetched");
            Assert.Equal(file.Sha256, Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(local))));
            Assert.Equal(file.SizeBytes, new FileInfo(local).Length);
        }

        var page = new HtmlParser().ParseDocument(await File.ReadAllTextAsync(pagePath));
        Assert.Equal(2, page.QuerySelectorAll("section[id^=item-]").Length);
        Assert.Equal(2 * 3, page.QuerySelectorAll("img").Length); // mixture, target, residual per item
        Assert.NotEmpty(page.QuerySelectorAll("audio"));
        var media = page.QuerySelectorAll("img, audio, audio source").Select(e => e.GetAttribute("src")).OfType<string>().Select(Uri.UnescapeDataString).ToList();
        Assert.NotEmpty(media);
        foreach (string src in media)
        {
            Assert.True(File.Exists(Path.Combine(jobFolder, src)), $"{src} does not resolve in the fetched folder");
            Assert.True(listed.ContainsKey(src), $"{src} has no hash in job.json");
        }

        // The mixture is the recording read at its ingested version, not target + residual standing in for it.
        Assert.Equal(2, page.QuerySelectorAll("figcaption").Count(c => c.TextContent.Contains("read at the version its SHA-256 was recorded from", StringComparison.Ordinal)));
        Assert.True(File.Exists(Path.Combine(jobFolder, "report.sha256")));
    }
}
