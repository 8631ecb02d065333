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
        WorkItems = Enumerable.Range(0, workItems).Select(i => new WorkItemEntry { Id = $"w{i}", ItemId = $"item{i / 2}", ShardIndex = i % 2, ShardCount = 2, AudioSeconds = 30 }).ToArray(),
    };

    [Fact]
    public async Task Record_is_stored_under_state_and_leaves_job_json_to_the_final_summary()
    {
        await _store.TryCreateAsync(Record("layout", 2));

        var jobs = _storage.Blobs.GetBlobContainerClient(_storage.Options.JobContainer);
        Assert.True((await jobs.GetBlobClient("layout/_state/job.json").ExistsAsync()).Value);
        Assert.False((await jobs.GetBlobClient("layout/job.json").ExistsAsync()).Value);
        Assert.Equal([30.0, 30.0], (await _store.GetAsync("layout"))!.Record.WorkItems.Select(w => w.AudioSeconds));
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
        await _store.TryCreateAsync(Record("stale", 2) with { Status = JobState.Rejected });
        var first = (await _store.GetAsync("stale"))!;
        Assert.True(await _store.TryReplaceAsync(first.Record with { Model = "fixed" }, first.ETag));

        Assert.False(await _store.TryReplaceAsync(first.Record with { Model = "other" }, first.ETag));
        Assert.Equal("fixed", (await _store.GetAsync("stale"))!.Record.Model);
    }

    [Fact]
    public async Task Unknown_job_reads_as_null()
    {
        Assert.Null(await _store.GetAsync("nobody"));
    }
}
