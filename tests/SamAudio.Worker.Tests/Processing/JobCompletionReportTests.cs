using SamAudio.Core.Provenance;
using SamAudio.Core.Separation;
using SamAudio.Worker.Processing;

namespace SamAudio.Worker.Tests.Processing;

/// <summary>The report written at job completion, before job.json, and finished by the next attempt when a worker dies in between.</summary>
public sealed class JobCompletionReportTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("samaudio-jobreport-");
    private readonly MemoryWorkerStore _store = new();
    private readonly PassThroughEngine _engine = new(16_000, segmentSeconds: 2, overlapSeconds: 0.5);

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public async Task Report_is_stored_before_job_json_and_a_second_attempt_finishes_after_a_worker_died_in_between()
    {
        var (items, _) = TestJob.Plan(_store, _folder.FullName);
        string tmp = Path.Combine(_folder.FullName, "tmp");
        var processor = new ShardProcessor(_store, tmp, "test", report: new JobReport(_store, tmp));
        _store.WriteFailsOnce = "job/job.json";
        foreach (var item in items.Take(items.Count - 1))
        {
            await processor.ProcessAsync(item, _engine, deliveries: 1);
        }

        await Assert.ThrowsAsync<IOException>(() => processor.ProcessAsync(items[^1], _engine, deliveries: 1));
        Assert.True(_store.Blobs.ContainsKey("job/report.html"), "the report is stored before job.json");
        Assert.False(_store.Blobs.ContainsKey("job/job.json"));

        // The message comes back: the shard is done, so the delivery only finishes the job.
        Assert.Equal(ShardOutcome.AlreadyDone, await processor.ProcessAsync(items[^1], _engine, deliveries: 2));
        var job = ProvenanceJson.Deserialize<JobRecord>(await _store.ReadTextAsync("job/job.json") ?? "")!;
        Assert.NotNull(job.Report);
        Assert.Contains(job.Report.Files, f => f.Path.EndsWith(".png", StringComparison.Ordinal));
        Assert.Contains(job.Report.Files, f => f.Path.EndsWith(".wav", StringComparison.Ordinal));
        foreach (var file in job.Report.Files)
        {
            byte[] stored = _store.Blobs[$"job/{file.Path}"];
            Assert.Equal(file.Sha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stored)));
        }

        string page = System.Text.Encoding.UTF8.GetString(_store.Blobs["job/report.html"]);
        Assert.Contains("read at the version its SHA-256 was recorded from", page, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateDirectories(tmp, "report-*")); // the local copy is removed
    }

    [Fact]
    public async Task While_another_worker_holds_the_completion_the_last_shard_asks_to_come_back_and_finishes_once_the_holder_died()
    {
        var (items, _) = TestJob.Plan(_store, _folder.FullName);
        string tmp = Path.Combine(_folder.FullName, "tmp");
        var processor = new ShardProcessor(_store, tmp, "test", report: new JobReport(_store, tmp));
        foreach (var item in items.Take(items.Count - 1))
        {
            Assert.Equal(ShardOutcome.Done, await processor.ProcessAsync(item, _engine, deliveries: 1));
        }

        // Another worker finished at the same moment and holds the lock (then dies without writing job.json).
        var holder = await _store.TryLockAsync(JobCompletion.LockBlob("job"));
        Assert.NotNull(holder);
        Assert.Equal(ShardOutcome.CompletionHeldElsewhere, await processor.ProcessAsync(items[^1], _engine, deliveries: 1));
        Assert.False(_store.Blobs.ContainsKey("job/job.json"));
        Assert.False(_store.Blobs.ContainsKey("job/report.html"), "only the lock's holder writes the report");

        _store.LapseLocks();
        Assert.True(holder.Lost.IsCancellationRequested, "a holder whose lock lapsed is told to stop");
        Assert.Equal(ShardOutcome.AlreadyDone, await processor.ProcessAsync(items[^1], _engine, deliveries: 2));
        var job = ProvenanceJson.Deserialize<JobRecord>(await _store.ReadTextAsync("job/job.json") ?? "")!;
        Assert.Equal("completed", job.Status);
        Assert.NotNull(job.Report);
        Assert.Empty(_store.Locks); // released after completion
        Assert.Equal(2, _store.LocksTaken);

        // Later deliveries find job.json and take no lock.
        Assert.Equal(ShardOutcome.AlreadyDone, await processor.ProcessAsync(items[0], _engine, deliveries: 2));
        Assert.Equal(2, _store.LocksTaken);
    }

    [Fact]
    public async Task A_report_that_cannot_be_made_leaves_job_json_complete_and_says_why()
    {
        var (items, _) = TestJob.Plan(_store, _folder.FullName);
        string tmp = Path.Combine(_folder.FullName, "tmp");
        var processor = new ShardProcessor(_store, tmp, "test", report: new JobReport(_store, tmp));
        _store.RecordingStreamFails = new InvalidOperationException("a fault in the report itself"); // not storage: a retry fails the same way

        foreach (var item in items)
        {
            await processor.ProcessAsync(item, _engine, deliveries: 1);
        }

        var job = ProvenanceJson.Deserialize<JobRecord>(await _store.ReadTextAsync("job/job.json") ?? "")!;
        Assert.Equal("completed", job.Status);
        Assert.Null(job.Report);
        Assert.StartsWith("the report could not be made: a fault in the report itself", job.ReportError, StringComparison.Ordinal);
        Assert.Contains("samaudio report", job.ReportError, StringComparison.Ordinal);
        Assert.Single(job.Items, i => i.Status == "completed");
    }
}
