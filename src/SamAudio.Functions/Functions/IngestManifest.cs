using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Azure.Functions.Worker;
using SamAudio.Storage;
using SamAudio.Storage.Ingestion;

namespace SamAudio.Functions.Functions;

/// <summary>
/// Blob trigger (Event Grid source) on the manifests container: validates the manifest, writes the job record and
/// sends one work item per shard to the queue of the worker pool its model runs in. Messages go through the SDK
/// with no expiry: the queue output binding would route to one queue only and drop messages after 7 days.
/// </summary>
public sealed class IngestManifest(ManifestIngestor ingestor, QueueServiceClient queues)
{
    [Function(nameof(IngestManifest))]
    public Task RunAsync(
        [BlobTrigger("manifests/{name}", Source = BlobTriggerSource.EventGrid, Connection = ServiceRegistration.Connection)] BlobClient manifest,
        CancellationToken cancellationToken = default) =>
        IngestAndSendAsync(manifest, cancellationToken);

    /// <summary>Ingests <paramref name="manifest"/> and sends its work items to their pool's queue; returns what was done.</summary>
    public async Task<IngestResult> IngestAndSendAsync(BlobClient manifest, CancellationToken cancellationToken = default)
    {
        var result = await ingestor.IngestAsync(manifest, cancellationToken).ConfigureAwait(false);
        if (result.Messages.Count > 0 && result.Queue is { } queue)
        {
            await WorkQueueSender.SendAsync(queues.GetQueueClient(queue), result.Messages, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        return result;
    }
}
