using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using SamAudio.Worker.Processing;

namespace SamAudio.Worker.BlobStorage;

/// <summary>
/// A lock held as a lease on an empty blob: Blob Storage grants one lease at a time, so two workers asking at once get
/// one lock between them. The holder renews the lease every third of its duration; if a renewal fails (the lease
/// lapsed while the holder stalled, and someone else may hold it now), <see cref="Lost"/> trips. A holder that dies
/// stops renewing, and the lease lapses by itself after its duration (<see cref="Duration"/>).
/// </summary>
internal sealed class BlobLeaseLock : IHeldLock
{
    /// <summary>The lease's length: the shortest fixed lease Blob Storage grants is 15 s, the longest 60 s.</summary>
    public static readonly TimeSpan Duration = TimeSpan.FromSeconds(30);

    private readonly BlobLeaseClient _lease;
    private readonly TimeSpan _duration;
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _renewals;

    private BlobLeaseLock(BlobLeaseClient lease, TimeSpan duration)
    {
        _lease = lease;
        _duration = duration;
        _renewals = Task.Run(RenewAsync);
    }

    public CancellationToken Lost => _lost.Token;

    /// <summary>
    /// Takes the lease on <paramref name="blob"/> for <paramref name="duration"/> (default <see cref="Duration"/>), creating
    /// the empty blob first when it is missing; null when another holds it.
    /// </summary>
    public static async Task<BlobLeaseLock?> TryTakeAsync(BlobClient blob, TimeSpan? duration = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(blob);
        var length = duration ?? Duration;
        try
        {
            await blob.UploadAsync(BinaryData.Empty, new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            // It exists already (and may be leased: a leased blob refuses the write with 412 or 409).
        }

        var lease = blob.GetBlobLeaseClient();
        try
        {
            await lease.AcquireAsync(length, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return null; // LeaseAlreadyPresent: another worker holds it
        }

        return new BlobLeaseLock(lease, length);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _renewals.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped on purpose.
        }

        if (!_lost.IsCancellationRequested)
        {
            try
            {
                await _lease.ReleaseAsync().ConfigureAwait(false);
            }
            catch (RequestFailedException)
            {
                // Lapsed or taken: nothing of ours to release; it lapses by itself.
            }
        }

        _lost.Dispose();
        _stop.Dispose();
    }

    private async Task RenewAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            await Task.Delay(_duration / 3, _stop.Token).ConfigureAwait(false);
            try
            {
                await _lease.RenewAsync(cancellationToken: _stop.Token).ConfigureAwait(false);
            }
            catch (RequestFailedException)
            {
                await _lost.CancelAsync().ConfigureAwait(false);
                return;
            }
        }
    }
}
