using SamAudio.Storage.Jobs;
using SamAudio.Storage.WorkItems;

namespace SamAudio.Storage.Tests.Jobs;

[Trait("Category", "Azurite")]
public sealed class JobRecordStoreTests : IAsyncLifetime
{
    private readonly TestStorage _storage = new();
    private JobRecordStore _store = null!;

    public Task InitializeAsync()
    {
        _store = new JobRecordStore(_storage.Blobs.GetBlobContainerClient(_storage.Options.JobContainer));
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => _storage.CleanUpAsync();

    internal static JobRecord Record(string jobId, int workItems) => new()
    {
        JobId = jobId,
        Status = JobState.Accepted,
        Manifest = new BlobVersion("manifests", jobId + ".json", "\"0x1\""),
        WorkItems = Enumerable.Range(0, workItems).Select(i => new WorkItemEntry { Id = $"w{i}", ItemId = $"item{i / 2}", ShardIndex = i % 2, ShardCount = 2 }).ToArray(),
    };

    [Fact]
    public async Task Concurrent_updates_from_8_tasks_lose_none()
    {
        const int Tasks = 8, PerTask = 6;
        await _store.TryCreateAsync(Record("race", Tasks * PerTask));

        // Each task marks its own work items running then done: every update is a read-modify-write of one blob.
        await Task.WhenAll(Enumerable.Range(0, Tasks).Select(t => Task.Run(async () =>
        {
            for (var i = 0; i < PerTask; i++)
            {
                var id = $"w{t * PerTask + i}";
                await _store.MarkRunningAsync("race", id);
                await _store.MarkDoneAsync("race", id, [$"jobs/race/{id}.target.wav"]);
            }
        })));

        var record = (await _store.GetAsync("race"))!.Record;
        Assert.Equal(new JobCounts(0, 0, Tasks * PerTask, 0), record.CountWorkItems());
        Assert.All(record.WorkItems, w => Assert.Equal((1, 1), (w.Attempts, w.Outputs.Count)));
        Assert.Equal(JobState.Completed, record.Status);
    }

    [Fact]
    public async Task Update_that_loses_a_race_is_retried_on_the_winner_and_keeps_both_changes()
    {
        await _store.TryCreateAsync(Record("retry", 2));
        var calls = 0;

        // The first attempt is overtaken by another writer between its read and its write.
        var result = await _store.UpdateAsync("retry", record =>
        {
            if (++calls == 1) _store.MarkDoneAsync("retry", "w1", ["jobs/retry/w1.wav"]).GetAwaiter().GetResult();
            return record.WithWorkItem("w0", w => w with { State = WorkItemState.Failed, LastError = "boom" }, DateTimeOffset.UtcNow);
        });

        Assert.Equal(2, calls);
        var stored = (await _store.GetAsync("retry"))!.Record;
        Assert.Equal((WorkItemState.Failed, WorkItemState.Done), (stored.WorkItems[0].State, stored.WorkItems[1].State));
        Assert.Equal(result!.WorkItems[1].State, stored.WorkItems[1].State);
    }

    [Fact]
    public async Task Create_is_conditional_and_keeps_the_first_record()
    {
        Assert.True(await _store.TryCreateAsync(Record("once", 2)));
        Assert.False(await _store.TryCreateAsync(Record("once", 5)));

        Assert.Equal(2, (await _store.GetAsync("once"))!.Record.WorkItems.Count);
    }

    [Fact]
    public async Task Replace_with_a_stale_etag_changes_nothing()
    {
        await _store.TryCreateAsync(Record("stale", 2));
        var first = (await _store.GetAsync("stale"))!;
        await _store.MarkRunningAsync("stale", "w0");

        Assert.False(await _store.TryReplaceAsync(first.Record with { Model = "other" }, first.ETag));
        Assert.Null((await _store.GetAsync("stale"))!.Record.Model);
    }

    [Fact]
    public async Task Unknown_job_reads_and_updates_as_null()
    {
        Assert.Null(await _store.GetAsync("nobody"));
        Assert.Null(await _store.MarkDoneAsync("nobody", "w0", []));
    }

    [Fact]
    public async Task A_failure_after_done_keeps_the_item_done_and_one_failure_marks_the_job()
    {
        await _store.TryCreateAsync(Record("mixed", 2));
        await _store.MarkDoneAsync("mixed", "w0", ["jobs/mixed/item0/owl.target.wav"]);
        await _store.MarkFailedAsync("mixed", "w0", "late duplicate failed");
        var record = await _store.MarkFailedAsync("mixed", "w1", "decoder error");

        Assert.Equal(WorkItemState.Done, record!.WorkItems[0].State);
        Assert.Equal(("decoder error", WorkItemState.Failed), (record.WorkItems[1].LastError, record.WorkItems[1].State));
        Assert.Equal(JobState.CompletedWithFailures, record.Status);
        Assert.Equal(new JobCounts(0, 0, 0, 1), record.CountItems());
    }
}
