using SamAudio.Storage;
using SamAudio.Storage.Tests;

namespace SamAudio.Worker.Tests;

/// <summary>A Container Apps job kills a replica at its replicaTimeout; the worker must not start a shard it cannot finish.</summary>
public sealed class ReplicaTimeoutTests : IAsyncLifetime
{
    private readonly TestStorage _storage = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _storage.CleanUpAsync();

    [Fact]
    public async Task A_worker_whose_replica_ends_before_a_shard_could_finish_takes_no_work_and_leaves_it_queued()
    {
        var queue = _storage.Factory.CreateQueueClient(_storage.Options.CpuWorkQueue);
        await WorkQueueSender.SendAsync(queue, ["{}"]);
        var settings = ProcessSettings.Worker(_storage, _storage.Options, leaseSeconds: 30);
        settings["SamAudioReplicaTimeoutSeconds"] = "20"; // less than one lease: no shard may start

        using var worker = WorkerProcess.Start(settings);
        int exit = await worker.WaitAsync(TimeSpan.FromMinutes(1));

        Assert.True(exit == 0, worker.Output);
        Assert.Contains("limit is near", worker.Output);
        Assert.Equal(1, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
        var visible = await queue.ReceiveMessagesAsync(1);
        Assert.Equal(1, Assert.Single(visible.Value).DequeueCount); // never received by the worker
    }
}
