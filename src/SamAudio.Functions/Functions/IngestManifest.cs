using Azure.Storage.Blobs;
using Microsoft.Azure.Functions.Worker;
using SamAudio.Storage.Ingestion;

namespace SamAudio.Functions.Functions;

/// <summary>
/// Manifest uploaded (Event Grid blob trigger on <c>manifests/{name}</c>) -> validated job record -> one work item
/// message per shard on the work queue. Invalid manifests get <c>&lt;name&gt;.errors.json</c> and no message; a second
/// trigger for the same manifest version sends nothing.
/// </summary>
public sealed class IngestManifest(ManifestIngestor ingestor)
{
    /// <summary>Ingests the manifest; the returned strings are sent by the queue output binding, one message each.</summary>
    [Function(nameof(IngestManifest))]
    [QueueOutput("%SamAudioWorkQueue%", Connection = ServiceRegistration.Connection)]
    public async Task<string[]> RunAsync(
        [BlobTrigger("manifests/{name}", Source = BlobTriggerSource.EventGrid, Connection = ServiceRegistration.Connection)] BlobClient manifest,
        CancellationToken cancellationToken = default)
    {
        var result = await ingestor.IngestAsync(manifest, cancellationToken).ConfigureAwait(false);
        return [.. result.Messages];
    }
}
