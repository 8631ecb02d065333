using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using SamAudio.Inference.Packs;
using SamAudio.Storage;
using SamAudio.Storage.Jobs;
using SamAudio.Storage.Tests;
using SamAudio.Storage.WorkItems;
using SamAudio.Worker.Queue;
using SamAudio.Worker.Tests.Processing;

namespace SamAudio.Worker.Tests.Queue;

/// <summary>The worker's queue handling on real Azurite queues, over the in-memory store.</summary>
public sealed class QueueWorkerTests : IAsyncLifetime
{
    private readonly TestStorage _storage = new();
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("samaudio-queue-");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _storage.CleanUpAsync();
        _folder.Delete(recursive: true);
    }

    [Fact]
    public async Task A_shard_that_fails_every_attempt_goes_to_the_poison_queue_after_the_recorded_failures_reach_the_limit()
    {
        var store = new MemoryWorkerStore { StagingFails = new IOException("no space left on device") };
        var item = TestJob.Plan(store, _folder.FullName).Items[0];
        var queue = _storage.Factory.CreateQueueClient(_storage.Options.CpuWorkQueue);
        var poison = _storage.Factory.CreateQueueClient(StorageOptions.PoisonQueueOf(_storage.Options.CpuWorkQueue));
        await WorkQueueSender.SendAsync(queue, [WorkItemJson.Serialize(item)]);
        var options = new WorkerOptions
        {
            Connection = StorageConnection.FromConnectionString(_storage.Connection),
            Storage = _storage.Options,
            Queue = _storage.Options.CpuWorkQueue,
            Lease = TimeSpan.FromSeconds(4),
            MaxAttempts = 2,
            Drain = true,
            TemporaryFolder = Path.Combine(_folder.FullName, "tmp"),
        };
        var lifetime = new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance);
        using var worker = new QueueWorker(queue, poison, store, options, new ModelCatalog([]), lifetime, NullLogger<QueueWorker>.Instance);

        await worker.StartAsync(CancellationToken.None);
        await worker.ExecuteTask!.WaitAsync(TimeSpan.FromMinutes(1));

        var failed = await store.Markers.GetAsync(item.JobId, item.Id, ShardState.Failed);
        Assert.NotNull(failed);
        Assert.Contains("no space left on device", failed.Error);
        Assert.Contains("failed 2 times in 2 deliveries", failed.Error);
        var record = FailedWorkItem.Parse((await poison.ReceiveMessageAsync()).Value.Body.ToString(), dequeueCount: 0);
        Assert.Equal(item.Id, record.WorkItem.Id);
        Assert.Equal(0, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
        Assert.False(await store.Markers.ExistsAsync(item.JobId, item.Id, ShardState.Done));
    }
}
