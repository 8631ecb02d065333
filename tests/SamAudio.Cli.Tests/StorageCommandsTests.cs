using System.Security.Cryptography;
using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using SamAudio.Storage.Jobs;
using SamAudio.Storage.Tests;
using SamAudio.Storage.WorkItems;

namespace SamAudio.Cli.Tests;

/// <summary>
/// <c>submit</c>, <c>ingest</c>, <c>status</c> and <c>fetch</c> against Azurite, in-process. Container and queue names come from the
/// environment (as in the Functions app), set to unique names for this class and restored after.
/// </summary>
[Trait("Category", "Azurite")]
public sealed class StorageCommandsTests : IDisposable
{
    private static readonly string[] Settings = ["SamAudioManifestContainer", "SamAudioRecordingContainer", "SamAudioJobContainer", "SamAudioWorkQueue"];
    private readonly Dictionary<string, string?> _saved = Settings.ToDictionary(s => s, Environment.GetEnvironmentVariable);
    private readonly string _connection;
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..12];
    private readonly TempFolder _folder = new();

    public StorageCommandsTests()
    {
        _connection = Environment.GetEnvironmentVariable("SAMAUDIO_TEST_STORAGE") ?? "";
        if (_connection.Length == 0)
            Assert.Fail("SAMAUDIO_TEST_STORAGE is not set. Run the tests through ./test.sh, which starts Azurite and exports it.");
        foreach (var (setting, prefix) in Settings.Zip(new[] { "man", "rec", "job", "work" }))
            Environment.SetEnvironmentVariable(setting, $"{prefix}-{_suffix}");
    }

    public void Dispose()
    {
        var blobs = new BlobServiceClient(_connection);
        foreach (var prefix in new[] { "man", "rec", "job" })
            blobs.GetBlobContainerClient($"{prefix}-{_suffix}").DeleteIfExists();
        foreach (var (setting, value) in _saved)
            Environment.SetEnvironmentVariable(setting, value);
        _folder.Dispose();
    }

    [Fact]
    public async Task Submit_ingest_and_status_run_a_manifest_through_storage_once()
    {
        Directory.CreateDirectory(_folder["site-a"]);
        await File.WriteAllBytesAsync(_folder["site-a/night1.wav"], TestWav.Create(8_000, 1, 8_000 * 2));
        await File.WriteAllTextAsync(_folder["owl.json"], """
            { "schema": "samaudio.manifest/v1", "jobId": "owl-cli", "model": "samaudio-mini",
              "items": [ { "id": "night1", "recording": "site-a/night1.wav", "prompts": ["owl hooting"] } ] }
            """);

        var submit = await CliRunner.RunAsync("submit", _folder["owl.json"], "--prefix", "survey/", "--connection", _connection);
        var resubmit = await CliRunner.RunAsync("submit", _folder["owl.json"], "--prefix", "survey/", "--connection", _connection);
        var ingest = await CliRunner.RunAsync("ingest", "survey/owl-cli.json", "--connection", _connection);
        var again = await CliRunner.RunAsync("ingest", "survey/owl-cli.json", "--connection", _connection);
        var status = await CliRunner.RunAsync("status", "owl-cli", "--json", "--connection", _connection);
        var unknown = await CliRunner.RunAsync("status", "no-such-job", "--connection", _connection);

        Assert.Equal(0, submit.ExitCode);
        Assert.Contains("uploaded  rec-", submit.Out, StringComparison.Ordinal);
        Assert.Contains("unchanged rec-", resubmit.Out, StringComparison.Ordinal);
        Assert.Equal(0, ingest.ExitCode);
        Assert.Contains("accepted, 1 work item(s) sent", ingest.Out, StringComparison.Ordinal);
        Assert.Contains("already ingested", again.Out, StringComparison.Ordinal);
        Assert.Equal(0, status.ExitCode);
        using var report = JsonDocument.Parse(status.Out);
        Assert.Equal(1, report.RootElement.GetProperty("workItems").GetProperty("pending").GetInt32());
        Assert.Equal("accepted", report.RootElement.GetProperty("state").GetString());
        Assert.Equal(2.0, report.RootElement.GetProperty("audio").GetProperty("plannedSeconds").GetDouble());
        Assert.Equal(ExitCodes.Error, unknown.ExitCode);
    }

    [Fact]
    public async Task Submit_of_an_invalid_manifest_uploads_nothing_and_exits_with_invalid_input()
    {
        await File.WriteAllTextAsync(_folder["bad.json"], """{ "schema": "samaudio.manifest/v1", "jobId": "bad", "items": [] }""");

        var submit = await CliRunner.RunAsync("submit", _folder["bad.json"], "--connection", _connection);

        Assert.Equal(ExitCodes.InvalidInput, submit.ExitCode);
        Assert.Contains("$.items", submit.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_prints_items_by_state_audio_hours_speed_eta_and_each_failure_with_its_reason()
    {
        // Three items of 30 min: a done and assembled in 10 min of wall time (3x real time), b failed, c not started.
        var jobs = await JobsAsync();
        var t0 = new DateTimeOffset(2026, 5, 1, 20, 0, 0, TimeSpan.Zero);
        await new JobRecordStore(jobs).TryCreateAsync(new JobRecord
        {
            JobId = "owl-status",
            Status = JobState.Accepted,
            Manifest = new BlobVersion("manifests", "owl-status.json", "\"0x1\""),
            WorkItems = new[] { "a", "b", "c" }.Select(i => new WorkItemEntry { Id = "w-" + i, ItemId = i, AudioSeconds = 1_800 }).ToArray(),
        });
        var markers = new ShardMarkerStore(jobs);
        ShardMarker Marker(string item, ShardState state) => new()
        {
            JobId = "owl-status", WorkItemId = "w-" + item, ItemId = item, ShardIndex = 0, ShardCount = 1, State = state,
            AudioSeconds = 1_800, Deliveries = 5, StartedAt = t0, FinishedAt = t0.AddMinutes(10),
        };
        await markers.TryMarkFinalAsync(Marker("a", ShardState.Done));
        await markers.TryMarkFinalAsync(Marker("b", ShardState.Failed) with { Error = "recording 'b.wav' changed since ingestion" });
        await jobs.GetBlobClient("owl-status/a/run.json").UploadAsync(BinaryData.FromString("{}"));

        var status = await CliRunner.RunAsync("status", "owl-status", "--connection", _connection);

        Assert.Equal(0, status.ExitCode);
        Assert.Contains("job owl-status: running", status.Out, StringComparison.Ordinal);
        Assert.Contains("items:      1 done, 0 running, 1 pending, 1 failed (of 3)", status.Out, StringComparison.Ordinal);
        Assert.Contains("0.50 h processed of 1.50 h planned", status.Out, StringComparison.Ordinal);
        Assert.Contains("3.0x real time, ETA 00:10:00", status.Out, StringComparison.Ordinal);
        Assert.Contains("failed: item 'b' (shard 1/1, work item w-b): recording 'b.wav' changed since ingestion", status.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_downloads_the_job_layout_without_state_and_skips_unchanged_files_on_a_second_run()
    {
        var jobs = await JobsAsync();
        byte[] wav = TestWav.Create(8_000, 1, 4_000);
        await UploadAsync(jobs, "fetched/job.json", """{ "schema": "samaudio.job/v1" }"""u8.ToArray(), sha256: true);
        await UploadAsync(jobs, "fetched/night1/owl-hooting.target.wav", wav, sha256: true);
        await UploadAsync(jobs, "fetched/night1/run.json", """{ "status": "completed" }"""u8.ToArray(), sha256: false);
        await UploadAsync(jobs, "fetched/_state/job.json", "{}"u8.ToArray(), sha256: true);
        await UploadAsync(jobs, "fetched/_state/shards/00000-0000-x.done.json", "{}"u8.ToArray(), sha256: false);
        await UploadAsync(jobs, "fetched-other/job.json", "{}"u8.ToArray(), sha256: true);
        var job = _folder["out/fetched"];

        var first = await CliRunner.RunAsync("fetch", "fetched", "--out", _folder["out"], "--connection", _connection);

        Assert.Equal(0, first.ExitCode);
        Assert.Contains("downloaded 3", first.Out, StringComparison.Ordinal);
        Assert.Contains("fetch: 3/3 files", first.Error, StringComparison.Ordinal);
        Assert.Equal(["job.json", "night1/owl-hooting.target.wav", "night1/run.json"],
            Directory.GetFiles(job, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(job, f).Replace('\\', '/')).Order(StringComparer.Ordinal));
        Assert.Equal(wav, await File.ReadAllBytesAsync(Path.Combine(job, "night1", "owl-hooting.target.wav")));

        // Files left alone keep the timestamp set here; a second run downloads nothing.
        var old = new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        foreach (var file in Directory.GetFiles(job, "*", SearchOption.AllDirectories))
            File.SetLastWriteTimeUtc(file, old);
        var second = await CliRunner.RunAsync("fetch", "fetched", "--out", _folder["out"], "--quiet", "--connection", _connection);

        Assert.Equal(0, second.ExitCode);
        Assert.Contains("downloaded 0 (0 B), skipped 3 unchanged", second.Out, StringComparison.Ordinal);
        Assert.Equal("", second.Error);
        Assert.All(Directory.GetFiles(job, "*", SearchOption.AllDirectories), f => Assert.Equal(old, File.GetLastWriteTimeUtc(f)));

        // A blob that changed (new sha256) and a local file damaged at the same length (Content-MD5 only) come again.
        byte[] changed = TestWav.Create(8_000, 1, 4_000);
        changed[^1] = 0x7f;
        await UploadAsync(jobs, "fetched/night1/owl-hooting.target.wav", changed, sha256: true);
        await File.WriteAllTextAsync(Path.Combine(job, "night1", "run.json"), """{ "status": "xxxxxxxxx" }""");
        File.SetLastWriteTimeUtc(Path.Combine(job, "night1", "run.json"), old);
        var third = await CliRunner.RunAsync("fetch", "fetched", "--out", _folder["out"], "--quiet", "--connection", _connection);

        Assert.Contains("downloaded 2", third.Out, StringComparison.Ordinal);
        Assert.Contains("skipped 1 unchanged", third.Out, StringComparison.Ordinal);
        Assert.Equal(changed, await File.ReadAllBytesAsync(Path.Combine(job, "night1", "owl-hooting.target.wav")));
        Assert.Equal("""{ "status": "completed" }""", await File.ReadAllTextAsync(Path.Combine(job, "night1", "run.json")));
        Assert.Equal(old, File.GetLastWriteTimeUtc(Path.Combine(job, "job.json")));
        Assert.Empty(Directory.GetFiles(_folder["out"], "*.partial", SearchOption.AllDirectories));
        Assert.False(Directory.Exists(Path.Combine(job, "_state")));
    }

    [Fact]
    public async Task Fetch_of_an_unknown_job_writes_nothing_and_exits_with_the_missing_job_code()
    {
        await JobsAsync();

        var fetch = await CliRunner.RunAsync("fetch", "no-such-job", "--out", _folder["out"], "--connection", _connection);

        Assert.Equal(ExitCodes.Error, fetch.ExitCode);
        Assert.Contains("No job 'no-such-job'", fetch.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_folder["out/no-such-job"]));
    }

    private async Task<BlobContainerClient> JobsAsync()
    {
        var jobs = new BlobServiceClient(_connection).GetBlobContainerClient($"job-{_suffix}");
        await jobs.CreateIfNotExistsAsync();
        return jobs;
    }

    /// <summary>Uploads as the worker does: with <c>sha256</c> metadata, or else with Content-MD5 only.</summary>
    private static Task UploadAsync(BlobContainerClient jobs, string name, byte[] content, bool sha256)
    {
#pragma warning disable CA5351 // Content-MD5 is blob storage's integrity check, not a security boundary.
        var md5 = MD5.HashData(content);
#pragma warning restore CA5351
        return jobs.GetBlobClient(name).UploadAsync(BinaryData.FromBytes(content), new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentHash = md5 },
            Metadata = sha256 ? new Dictionary<string, string> { ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(content)) } : null,
        });
    }
}
