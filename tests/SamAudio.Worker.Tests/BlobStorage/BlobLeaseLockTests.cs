using SamAudio.Storage.Tests;
using SamAudio.Worker.BlobStorage;

namespace SamAudio.Worker.Tests.BlobStorage;

/// <summary>The completion lock on Azurite: one holder among many askers, kept by renewal past its lease, free once released.</summary>
public sealed class BlobLeaseLockTests : IAsyncLifetime
{
    private readonly TestStorage _storage = new();

    public async Task InitializeAsync() => await _storage.ContainerAsync(_storage.Options.JobContainer);

    public async Task DisposeAsync() => await _storage.CleanUpAsync();

    [Fact]
    public async Task Of_eight_workers_asking_at_once_for_a_lock_that_does_not_exist_yet_exactly_one_gets_it()
    {
        var blob = _storage.Blobs.GetBlobContainerClient(_storage.Options.JobContainer).GetBlobClient("job/_state/completion.lock");

        var taken = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => BlobLeaseLock.TryTakeAsync(blob))));

        var holder = Assert.Single(taken, t => t is not null)!;
        Assert.Null(await BlobLeaseLock.TryTakeAsync(blob));
        await holder.DisposeAsync();
        await using var next = await BlobLeaseLock.TryTakeAsync(blob);
        Assert.NotNull(next); // released at once, not after the lease ran out
    }

    [Fact]
    public async Task A_living_holder_keeps_the_lock_past_its_lease_length()
    {
        var blob = _storage.Blobs.GetBlobContainerClient(_storage.Options.JobContainer).GetBlobClient("job/_state/completion.lock");
        var shortest = TimeSpan.FromSeconds(15); // the shortest lease Blob Storage grants

        await using var holder = await BlobLeaseLock.TryTakeAsync(blob, shortest);
        Assert.NotNull(holder);
        await Task.Delay(shortest + TimeSpan.FromSeconds(5));

        Assert.Null(await BlobLeaseLock.TryTakeAsync(blob, shortest)); // renewed: without renewal the lease would have lapsed
        Assert.False(holder.Lost.IsCancellationRequested);
    }
}
