using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using SamAudio.Functions.Functions;
using SamAudio.Storage;
using SamAudio.Storage.Jobs;
using SamAudio.Storage.Tests;
using SamAudio.Storage.WorkItems;

namespace SamAudio.Functions.Tests;

[Trait("Category", "Azurite")]
public sealed class PoisonWorkItemsTests : IAsyncLifetime
{
    private readonly FunctionsHarness _h = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _h.CleanUpAsync();

    [Fact]
    public async Task Failure_record_on_the_poison_queue_writes_a_failed_marker_with_the_last_error()
    {
        var item = await IngestOneAsync("poison", frames: 12_000);
        var record = FailedWorkItem.Serialize(new FailedWorkItem { WorkItem = item, LastError = "CUDA out of memory at segment 12", DequeueCount = 5 });
        await WorkQueueSender.SendAsync(_h.PoisonQueue, [record]);

        // The queue trigger hands the function the Base64-decoded body.
        var body = (await _h.PoisonQueue.ReceiveMessageAsync()).Value.Body.ToString();
        await _h.Poison.RunGpuAsync(body);

        var marker = await _h.Markers.GetAsync("poison", item.Id, ShardState.Failed);
        Assert.NotNull(marker);
        Assert.Equal(("CUDA out of memory at segment 12", 5L, 1.5, item.ItemId), (marker.Error, marker.Deliveries, marker.AudioSeconds, marker.ItemId));
        var report = (await new JobStatusReader(_h.Storage.Blobs.GetBlobContainerClient(_h.Options.JobContainer)).ReadAsync("poison"))!;
        Assert.Equal(JobState.CompletedWithFailures, report.State);
        Assert.Equal("CUDA out of memory at segment 12", Assert.Single(report.Failures).Error);
    }

    [Fact]
    public async Task Second_delivery_of_the_same_poison_message_changes_nothing()
    {
        var item = await IngestOneAsync("twice");
        var message = FailedWorkItem.Serialize(new FailedWorkItem { WorkItem = item, LastError = "first", DequeueCount = 5 });
        await _h.Poison.RunCpuAsync(message);
        var blob = _h.Storage.Blobs.GetBlobContainerClient(_h.Options.JobContainer).GetBlobClient(ShardMarker.BlobName("twice", item.Id, ShardState.Failed));
        var before = (await blob.GetPropertiesAsync()).Value.ETag;

        await _h.Poison.RunCpuAsync(message);
        await _h.Poison.RunGpuAsync(FailedWorkItem.Serialize(new FailedWorkItem { WorkItem = item, LastError = "second", DequeueCount = 6 }));

        Assert.Equal(before, (await blob.GetPropertiesAsync()).Value.ETag);
        Assert.Equal("first", (await _h.Markers.GetAsync("twice", item.Id, ShardState.Failed))!.Error);
    }

    [Fact]
    public async Task Poison_message_for_a_done_shard_leaves_it_done()
    {
        var item = await IngestOneAsync("finished");
        var done = new ShardMarker
        {
            JobId = "finished", WorkItemId = item.Id, ItemId = item.ItemId, ShardIndex = 0, ShardCount = 1, State = ShardState.Done,
            AudioSeconds = 0.1, Deliveries = 2, StartedAt = DateTimeOffset.UtcNow, FinishedAt = DateTimeOffset.UtcNow,
        };
        Assert.True(await _h.Markers.TryMarkFinalAsync(done));

        await _h.Poison.HandleAsync(FailedWorkItem.Serialize(new FailedWorkItem { WorkItem = item, LastError = "late duplicate", DequeueCount = 5 }));

        Assert.False(await _h.Markers.ExistsAsync("finished", item.Id, ShardState.Failed));
        Assert.True(await _h.Markers.ExistsAsync("finished", item.Id, ShardState.Done));
    }

    [Fact]
    public async Task Bare_work_item_on_the_poison_queue_is_marked_failed_too()
    {
        var item = await IngestOneAsync("bare");

        await _h.Poison.HandleAsync(WorkItemJson.Serialize(item));

        var marker = await _h.Markers.GetAsync("bare", item.Id, ShardState.Failed);
        Assert.Contains("poison queue", marker?.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreadable_message_and_unknown_job_write_nothing_and_do_not_throw()
    {
        var item = await IngestOneAsync("intact");

        await _h.Poison.HandleAsync("not json at all");
        await _h.Poison.HandleAsync(WorkItemJson.Serialize(item with { JobId = "someone-else" }));
        await _h.Poison.HandleAsync(WorkItemJson.Serialize(item with { Id = "00009-0000-unknown" }));

        var jobs = _h.Storage.Blobs.GetBlobContainerClient(_h.Options.JobContainer);
        Assert.Equal(["intact/_state/job.json"], await jobs.GetBlobsAsync().Select(b => b.Name).ToListAsync());
    }

    [Theory]
    [InlineData(nameof(PoisonWorkItems.RunCpuAsync), "%SamAudioCpuWorkQueue%-poison")]
    [InlineData(nameof(PoisonWorkItems.RunGpuAsync), "%SamAudioGpuWorkQueue%-poison")]
    public void Each_pool_poison_queue_has_a_trigger(string method, string queue)
    {
        var parameter = typeof(PoisonWorkItems).GetMethod(method)!.GetParameters()[0];

        var trigger = parameter.GetCustomAttribute<QueueTriggerAttribute>();
        Assert.Equal((queue, "SamAudioStorage"), (trigger?.QueueName, trigger?.Connection));
        Assert.NotNull(typeof(PoisonWorkItems).GetMethod(method)!.GetCustomAttribute<FunctionAttribute>());
    }

    private async Task<WorkItem> IngestOneAsync(string jobId, int frames = 800)
    {
        await (await _h.RecordingsAsync()).UploadBlobAsync($"{jobId}.wav", BinaryData.FromBytes(TestWav.Create(8_000, 1, frames)));
        var messages = (await _h.Ingest.IngestAndSendAsync(await _h.UploadManifestAsync($"{jobId}.json", TestManifests.Create(jobId, $"{jobId}.wav")))).Messages;
        return WorkItemJson.Deserialize(Assert.Single(messages));
    }
}
