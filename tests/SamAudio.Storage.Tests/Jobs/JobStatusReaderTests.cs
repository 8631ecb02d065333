using Azure.Storage.Blobs;
using SamAudio.Core.Manifests;
using SamAudio.Storage.Jobs;
using SamAudio.Storage.WorkItems;

namespace SamAudio.Storage.Tests.Jobs;

[Trait("Category", "Azurite")]
public sealed class JobStatusReaderTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 5, 1, 20, 0, 0, TimeSpan.Zero);
    private readonly TestStorage _storage = new();
    private BlobContainerClient _jobs = null!;
    private ShardMarkerStore _markers = null!;
    private JobStatusReader _reader = null!;

    public async Task InitializeAsync()
    {
        _jobs = await _storage.ContainerAsync(_storage.Options.JobContainer);
        _markers = new ShardMarkerStore(_jobs);
        _reader = new JobStatusReader(_jobs);
    }

    public Task DisposeAsync() => _storage.CleanUpAsync();

    [Fact]
    public async Task Status_follows_markers_and_run_records_with_hours_real_time_factor_and_eta()
    {
        // 5 items, 9 shards of 60 s: item0 assembled, item1 half done, item2 one shard failed, item3 untouched,
        // item4 done but not assembled yet.
        await PlanAsync("survey", ("item0", 2, 60), ("item1", 2, 60), ("item2", 2, 60), ("item3", 2, 60), ("item4", 1, 60));
        await RunningAsync("survey", "item0", 0, T0);
        await DoneAsync("survey", "item0", 0, T0, T0.AddSeconds(30));
        await DoneAsync("survey", "item0", 1, T0.AddSeconds(10), T0.AddSeconds(120));
        await FailedAsync("survey", "item0", 1, "a late duplicate failed"); // done wins
        await DoneAsync("survey", "item1", 0, T0.AddSeconds(20), T0.AddSeconds(60));
        await RunningAsync("survey", "item1", 1, T0.AddSeconds(60));
        await FailedAsync("survey", "item2", 0, "decoder error at 00:12:00");
        await DoneAsync("survey", "item4", 0, T0.AddSeconds(30), T0.AddSeconds(90));
        await UploadAsync("survey/item0/run.json");
        await UploadAsync("survey/item0/owl.target.wav");
        await UploadAsync("survey/_state/shards/" + Id("item1", 0) + ".result.json");

        var report = (await _reader.ReadAsync("survey"))!;

        Assert.Equal(JobState.Running, report.State);
        Assert.Equal(new JobCounts(Pending: 1, Running: 2, Done: 1, Failed: 1), report.Items);
        Assert.Equal(new JobCounts(Pending: 3, Running: 1, Done: 4, Failed: 1), report.WorkItems);
        Assert.Equal([("item0", WorkItemState.Done, 2), ("item1", WorkItemState.Running, 1), ("item2", WorkItemState.Failed, 0),
            ("item3", WorkItemState.Pending, 0), ("item4", WorkItemState.Running, 1)],
            report.ItemStates.Select(i => (i.ItemId, i.State, i.ShardsDone)));
        // 4 done shards of 60 s between T0 and T0 + 120 s: 2x real time; 4 shards of 60 s left (the failed one is not).
        Assert.Equal((540.0, 0, 240.0, 240.0), (report.Audio.PlannedSeconds, report.Audio.UnknownWorkItems, report.Audio.ProcessedSeconds, report.Audio.RemainingSeconds));
        Assert.Equal(120.0, report.Audio.WallSeconds);
        Assert.Equal(2.0, report.Audio.RealTimeFactor);
        Assert.Equal(120.0, report.Audio.EtaSeconds);
        var failure = Assert.Single(report.Failures);
        Assert.Equal(("item2", Id("item2", 0), 0, 2, 5L, "decoder error at 00:12:00"),
            (failure.ItemId, failure.WorkItemId, failure.ShardIndex, failure.ShardCount, failure.Deliveries, failure.Error));
    }

    [Fact]
    public async Task Job_is_accepted_before_any_marker_and_completed_with_failures_when_every_item_is_done_or_failed()
    {
        await PlanAsync("mixed", ("a", 1, 30), ("b", 1, 30));
        var before = (await _reader.ReadAsync("mixed"))!;

        await DoneAsync("mixed", "a", 0, T0, T0.AddSeconds(10), audioSeconds: 30);
        await UploadAsync("mixed/a/run.json");
        await FailedAsync("mixed", "b", 0, "CUDA out of memory");
        var after = (await _reader.ReadAsync("mixed"))!;

        Assert.Equal((JobState.Accepted, (double?)null, (double?)60), (before.State, before.Audio.EtaSeconds, before.Audio.RemainingSeconds));
        Assert.Equal(JobState.CompletedWithFailures, after.State);
        Assert.Equal(new JobCounts(0, 0, 1, 1), after.Items);
        Assert.Equal("CUDA out of memory", Assert.Single(after.Failures).Error);
    }

    [Fact]
    public async Task An_item_whose_shards_are_done_but_whose_assembly_failed_is_failed_with_the_reason()
    {
        // Every shard of "a" is done, then assembling it failed for good (the poison path marks the last shard failed
        // beside its done marker) and no run.json was written: the item failed, as job.json says.
        await PlanAsync("assembly", ("a", 2, 30), ("b", 1, 30));
        await DoneAsync("assembly", "a", 0, T0, T0.AddSeconds(10), audioSeconds: 30);
        await DoneAsync("assembly", "a", 1, T0, T0.AddSeconds(12), audioSeconds: 30);
        await FailedAsync("assembly", "a", 1, "'out.wav': shard 1's piece has SHA-256 00 where its record says ff");
        await DoneAsync("assembly", "b", 0, T0, T0.AddSeconds(10), audioSeconds: 30);
        await UploadAsync("assembly/b/run.json");

        var report = (await _reader.ReadAsync("assembly"))!;

        Assert.Equal(JobState.CompletedWithFailures, report.State);
        Assert.Equal([("a", WorkItemState.Failed), ("b", WorkItemState.Done)], report.ItemStates.Select(i => (i.ItemId, i.State)));
        var failure = Assert.Single(report.Failures);
        Assert.Equal((Id("a", 1), "'out.wav': shard 1's piece has SHA-256 00 where its record says ff"), (failure.WorkItemId, failure.Error));
    }

    [Fact]
    public async Task Job_is_completed_only_when_every_item_has_its_run_record()
    {
        await PlanAsync("whole", ("a", 2, 30));
        await DoneAsync("whole", "a", 0, T0, T0.AddSeconds(10), audioSeconds: 30);
        await DoneAsync("whole", "a", 1, T0, T0.AddSeconds(20), audioSeconds: 30);
        var assembling = (await _reader.ReadAsync("whole"))!;

        await UploadAsync("whole/a/run.json");
        var complete = (await _reader.ReadAsync("whole"))!;

        Assert.Equal((JobState.Running, new JobCounts(0, 1, 0, 0)), (assembling.State, assembling.Items));
        Assert.Equal((JobState.Completed, new JobCounts(0, 0, 1, 0), 0.0), (complete.State, complete.Items, complete.Audio.EtaSeconds));
        Assert.Equal(3.0, complete.Audio.RealTimeFactor);
    }

    [Fact]
    public async Task Work_item_of_unknown_length_is_counted_and_leaves_the_eta_unknown()
    {
        await PlanAsync("flac", ("wav", 1, 60), ("flac", 1, null));
        await DoneAsync("flac", "wav", 0, T0, T0.AddSeconds(6));

        var report = (await _reader.ReadAsync("flac"))!;

        Assert.Equal((60.0, 1, 60.0), (report.Audio.PlannedSeconds, report.Audio.UnknownWorkItems, report.Audio.ProcessedSeconds));
        Assert.Equal(10.0, report.Audio.RealTimeFactor);
        Assert.Null(report.Audio.RemainingSeconds);
        Assert.Null(report.Audio.EtaSeconds);
    }

    [Fact]
    public async Task Rejected_job_stays_rejected_with_its_errors_and_unknown_job_is_null()
    {
        await new JobRecordStore(_jobs).TryCreateAsync(new JobRecord
        {
            JobId = "bad",
            Status = JobState.Rejected,
            Manifest = new BlobVersion("manifests", "bad.json", "\"0x1\""),
            Errors = [new ManifestError("$.items[0].recording", "Recording 'x.wav' was not found.")],
        });

        var report = (await _reader.ReadAsync("bad"))!;

        Assert.Equal(JobState.Rejected, report.State);
        Assert.Equal("$.items[0].recording", Assert.Single(report.Errors).Path);
        Assert.Null(await _reader.ReadAsync("nobody"));
        Assert.Null(await _reader.ReadAsync("../bad"));
    }

    private static string Id(string itemId, int shard) => $"{itemId}-{shard}";

    private async Task PlanAsync(string jobId, params (string ItemId, int Shards, double? Seconds)[] items)
    {
        var record = new JobRecord
        {
            JobId = jobId,
            Status = JobState.Accepted,
            Manifest = new BlobVersion("manifests", jobId + ".json", "\"0x1\""),
            WorkItems = items.SelectMany(i => Enumerable.Range(0, i.Shards).Select(s => new WorkItemEntry
            {
                Id = Id(i.ItemId, s), ItemId = i.ItemId, ShardIndex = s, ShardCount = i.Shards, AudioSeconds = i.Seconds,
            })).ToArray(),
        };
        Assert.True(await new JobRecordStore(_jobs).TryCreateAsync(record));
    }

    private static ShardMarker Marker(string jobId, string itemId, int shard, ShardState state, DateTimeOffset started) => new()
    {
        JobId = jobId,
        WorkItemId = Id(itemId, shard),
        ItemId = itemId,
        ShardIndex = shard,
        ShardCount = 2,
        State = state,
        AudioSeconds = 60,
        Deliveries = 1,
        StartedAt = started,
    };

    private Task RunningAsync(string jobId, string itemId, int shard, DateTimeOffset started) =>
        _markers.MarkRunningAsync(Marker(jobId, itemId, shard, ShardState.Running, started));

    private async Task DoneAsync(string jobId, string itemId, int shard, DateTimeOffset started, DateTimeOffset finished, double audioSeconds = 60) =>
        Assert.True(await _markers.TryMarkFinalAsync(Marker(jobId, itemId, shard, ShardState.Done, started) with
        {
            AudioSeconds = audioSeconds, FinishedAt = finished, Seconds = (finished - started).TotalSeconds,
        }));

    private async Task FailedAsync(string jobId, string itemId, int shard, string error) =>
        Assert.True(await _markers.TryMarkFinalAsync(Marker(jobId, itemId, shard, ShardState.Failed, T0) with
        {
            Deliveries = 5, FinishedAt = T0.AddSeconds(100), Error = error,
        }));

    private Task UploadAsync(string name) => _jobs.GetBlobClient(name).UploadAsync(BinaryData.FromString("{}"), overwrite: true);
}
