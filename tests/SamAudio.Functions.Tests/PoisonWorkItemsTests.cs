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
    public async Task Failure_record_on_the_poison_queue_marks_the_item_failed_with_the_last_error()
    {
        var item = await IngestOneAsync("poison");
        var record = FailedWorkItem.Serialize(new FailedWorkItem { WorkItem = item, LastError = "CUDA out of memory at segment 12", DequeueCount = 5 });
        await WorkQueueSender.SendAsync(_h.PoisonQueue, [record]);

        // The queue trigger hands the function the Base64-decoded body.
        var body = (await _h.PoisonQueue.ReceiveMessageAsync()).Value.Body.ToString();
        await _h.Poison.RunAsync(body);

        var entry = (await _h.Jobs.GetAsync("poison"))!.Record.WorkItems.Single(w => w.Id == item.Id);
        Assert.Equal((WorkItemState.Failed, "CUDA out of memory at segment 12"), (entry.State, entry.LastError));
        Assert.Equal(JobState.CompletedWithFailures, (await _h.Jobs.GetAsync("poison"))!.Record.Status);
    }

    [Fact]
    public async Task Bare_work_item_on_the_poison_queue_is_marked_failed_too()
    {
        var item = await IngestOneAsync("bare");

        await _h.Poison.RunAsync(WorkItemJson.Serialize(item));

        var entry = (await _h.Jobs.GetAsync("bare"))!.Record.WorkItems.Single();
        Assert.Equal(WorkItemState.Failed, entry.State);
        Assert.Contains("poison queue", entry.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreadable_message_and_unknown_job_change_nothing_and_do_not_throw()
    {
        var item = await IngestOneAsync("intact");
        var before = (await _h.Jobs.GetAsync("intact"))!.ETag;

        await _h.Poison.RunAsync("not json at all");
        await _h.Poison.RunAsync(WorkItemJson.Serialize(item with { JobId = "someone-else" }));

        Assert.Equal(before, (await _h.Jobs.GetAsync("intact"))!.ETag);
    }

    private async Task<WorkItem> IngestOneAsync(string jobId)
    {
        await (await _h.RecordingsAsync()).UploadBlobAsync($"{jobId}.wav", BinaryData.FromBytes(TestWav.Create(8_000, 1, 800)));
        var messages = await _h.Ingest.RunAsync(await _h.UploadManifestAsync($"{jobId}.json", TestManifests.Create(jobId, $"{jobId}.wav")));
        return WorkItemJson.Deserialize(Assert.Single(messages));
    }
}
