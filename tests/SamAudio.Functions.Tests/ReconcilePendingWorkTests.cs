using SamAudio.Storage;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Time.Testing;
using SamAudio.Functions.Functions;
using SamAudio.Storage.Ingestion;
using SamAudio.Storage.Jobs;
using SamAudio.Storage.Tests;
using SamAudio.Storage.WorkItems;

namespace SamAudio.Functions.Tests;

/// <summary>
/// The timer-triggered reconciler on Azurite: ingestion wrote the job record but its messages never reached the
/// queue (ingested here without sending, as a crash between the two would leave it).
/// </summary>
[Trait("Category", "Azurite")]
public sealed class ReconcilePendingWorkTests : IAsyncLifetime
{
    private readonly FunctionsHarness _h = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
    private readonly ManifestIngestor _ingestor;
    private readonly PendingWorkReconciler _reconciler;

    public ReconcilePendingWorkTests()
    {
        _ingestor = new ManifestIngestor(_h.Storage.Blobs, _h.Options, time: _time);
        _reconciler = new PendingWorkReconciler(_h.Storage.Blobs, _h.Storage.Factory.CreateQueueServiceClient(), _h.Options, _ingestor, time: _time);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _h.CleanUpAsync();

    [Fact]
    public async Task Lost_messages_are_sent_once_the_job_is_quiet_and_then_left_alone()
    {
        var lost = await IngestWithoutSendingAsync("lost", seconds: 25);

        _time.Advance(TimeSpan.FromMinutes(29));
        var early = await _reconciler.ReconcileAsync();
        _time.Advance(TimeSpan.FromMinutes(2));
        await new ReconcilePendingWork(_reconciler).RunAsync(new TimerInfo());
        var again = await _reconciler.ReconcileAsync();

        Assert.Equal(("lost", lost.Messages.Count, 0), (early.Single().JobId, early.Single().Pending, early.Single().Resent));
        Assert.Contains("moved 29 min ago", early.Single().Reason, StringComparison.Ordinal);
        Assert.Equal(lost.Messages.Order(StringComparer.Ordinal), (await _h.ReadQueueAsync()).Order(StringComparer.Ordinal));
        Assert.Equal(0, again.Single().Resent); // the messages are in the queue now
        Assert.Contains("may all be waiting there", again.Single().Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_work_items_no_worker_received_are_resent()
    {
        var job = await IngestWithoutSendingAsync("partly", seconds: 25);
        await _h.Markers.MarkRunningAsync(Marker(job.WorkItems[0], ShardState.Running));
        await _h.Markers.TryMarkFinalAsync(Marker(job.WorkItems[0], ShardState.Done));
        await _h.Markers.MarkRunningAsync(Marker(job.WorkItems[1], ShardState.Running));

        _time.Advance(TimeSpan.FromMinutes(45));
        var decision = (await _reconciler.ReconcileAsync()).Single();

        Assert.Equal((job.WorkItems.Count - 2, job.WorkItems.Count - 2), (decision.Pending, decision.Resent));
        Assert.Equal(job.Messages.Skip(2).Order(StringComparer.Ordinal), (await _h.ReadQueueAsync()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_backlog_waiting_in_the_queue_is_not_sent_twice()
    {
        var job = await IngestWithoutSendingAsync("backlog", seconds: 25);
        await WorkQueueSender.SendAsync(_h.WorkQueue, job.Messages);

        _time.Advance(TimeSpan.FromHours(6));
        var decision = (await _reconciler.ReconcileAsync()).Single();

        Assert.Equal(0, decision.Resent);
        Assert.Equal(job.Messages.Count, await _h.QueueCountAsync());
    }

    [Fact]
    public async Task Finished_and_rejected_jobs_and_changed_manifests_are_left_alone()
    {
        var done = await IngestWithoutSendingAsync("done", seconds: 3);
        await (await _h.Storage.ContainerAsync(_h.Options.JobContainer)).UploadBlobAsync("done/job.json", BinaryData.FromString("{}"));
        var rejected = await _ingestor.IngestAsync(await _h.UploadManifestAsync("bad.json", "{ not json"));
        var changed = await IngestWithoutSendingAsync("changed", seconds: 3);
        await _h.UploadManifestAsync("changed.json", TestManifests.Create("changed", "changed.wav") + " ");

        _time.Advance(TimeSpan.FromHours(1));
        var decisions = await _reconciler.ReconcileAsync();

        Assert.Equal(IngestOutcome.Rejected, rejected.Outcome);
        Assert.Equal([("changed", 0)], decisions.Select(d => (d.JobId, d.Resent)));
        Assert.Contains("no longer exists", decisions.Single().Reason, StringComparison.Ordinal);
        Assert.Equal(0, await _h.QueueCountAsync());
        Assert.NotEmpty(done.Messages);
    }

    [Fact]
    public async Task A_job_whose_work_items_all_ended_without_job_json_gets_one_done_work_item_again_once_per_quiet_period()
    {
        var job = await IngestWithoutSendingAsync("uncompleted", seconds: 25);
        Assert.True(job.WorkItems.Count >= 3, $"{job.WorkItems.Count} work items");
        var failed = job.WorkItems[0];
        await _h.Markers.TryMarkFinalAsync(Marker(failed, ShardState.Failed) with { FinishedAt = _time.GetUtcNow().AddMinutes(1) });
        foreach (var w in job.WorkItems.Skip(1))
        {
            await _h.Markers.TryMarkFinalAsync(Marker(w, ShardState.Done));
        }

        _time.Advance(TimeSpan.FromMinutes(29));
        var early = (await _reconciler.ReconcileAsync()).Single();
        _time.Advance(TimeSpan.FromMinutes(3));
        var asked = (await _reconciler.ReconcileAsync()).Single();
        _time.Advance(TimeSpan.FromMinutes(10));
        var settled = (await _reconciler.ReconcileAsync()).Single();

        Assert.Equal(0, early.Resent);
        Assert.Contains("not written yet", early.Reason, StringComparison.Ordinal);
        Assert.Equal((0, 1), (asked.Pending, asked.Resent));
        string sent = Assert.Single(await _h.ReadQueueAsync());
        var resent = WorkItemJson.Deserialize(sent);
        Assert.Contains(resent.Id, job.WorkItems.Skip(1).Select(w => w.Id)); // a done one: its delivery redoes nothing
        Assert.Equal(job.Messages[job.WorkItems.Select(w => w.Id).ToList().IndexOf(resent.Id)], sent); // the message ingestion sent
        Assert.Equal(0, settled.Resent); // asked 10 minutes ago: not again within the quiet period
    }

    [Fact]
    public async Task A_job_with_a_shard_still_in_hand_is_not_asked_to_complete()
    {
        var job = await IngestWithoutSendingAsync("inhand", seconds: 25);
        foreach (var w in job.WorkItems.Skip(1))
        {
            await _h.Markers.TryMarkFinalAsync(Marker(w, ShardState.Done));
        }

        await _h.Markers.MarkRunningAsync(Marker(job.WorkItems[0], ShardState.Running));
        _time.Advance(TimeSpan.FromHours(2));

        Assert.Empty(await _reconciler.ReconcileAsync());
        Assert.Equal(0, await _h.QueueCountAsync());
    }

    private async Task<IngestResult> IngestWithoutSendingAsync(string jobId, int seconds)
    {
        await (await _h.RecordingsAsync()).UploadBlobAsync($"{jobId}.wav", BinaryData.FromBytes(TestWav.Create(8_000, 1, 8_000 * seconds)));
        var result = await _ingestor.IngestAsync(await _h.UploadManifestAsync($"{jobId}.json", TestManifests.Create(jobId, $"{jobId}.wav")));
        Assert.Equal(IngestOutcome.Accepted, result.Outcome);
        return result;
    }

    private ShardMarker Marker(WorkItem w, ShardState state) => new()
    {
        JobId = w.JobId, WorkItemId = w.Id, ItemId = w.ItemId, ShardIndex = w.Shard.Index, ShardCount = w.Shard.Count,
        State = state, StartedAt = _time.GetUtcNow(), FinishedAt = state == ShardState.Running ? null : _time.GetUtcNow(),
    };
}
