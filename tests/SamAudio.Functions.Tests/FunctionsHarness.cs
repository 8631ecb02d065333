using System.Text;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Logging.Abstractions;
using SamAudio.Functions.Functions;
using SamAudio.Storage;
using SamAudio.Storage.Ingestion;
using SamAudio.Storage.Jobs;
using SamAudio.Storage.Tests;

namespace SamAudio.Functions.Tests;

/// <summary>
/// The functions over real clients on Azurite with unique container and queue names. There is no Functions
/// host here, so <see cref="TriggerIngestAsync"/> calls IngestManifest as the blob trigger would.
/// </summary>
public sealed class FunctionsHarness
{
    public FunctionsHarness(TimeSpan? shardLength = null)
    {
        Storage = new TestStorage();
        Options = Storage.Options with { ShardLength = shardLength ?? TimeSpan.FromSeconds(10) };
        Ingestor = new ManifestIngestor(Storage.Blobs, Options);
        Ingest = new IngestManifest(Ingestor, Storage.Factory.CreateQueueServiceClient());
        Status = new JobStatus(new JobStatusReader(Storage.Blobs.GetBlobContainerClient(Options.JobContainer)));
        Poison = new PoisonWorkItems(Ingestor.Jobs, Ingestor.Markers, NullLogger<PoisonWorkItems>.Instance);
        WorkQueue = Storage.Factory.CreateQueueClient(Options.CpuWorkQueue);
        PoisonQueue = Storage.Factory.CreateQueueClient(StorageOptions.PoisonQueueOf(Options.GpuWorkQueue));
    }

    public TestStorage Storage { get; }

    public StorageOptions Options { get; }

    public ManifestIngestor Ingestor { get; }

    public JobRecordStore Jobs => Ingestor.Jobs;

    public ShardMarkerStore Markers => Ingestor.Markers;

    public IngestManifest Ingest { get; }

    public JobStatus Status { get; }

    public PoisonWorkItems Poison { get; }

    /// <summary>The CPU pool's work queue (samaudio-mini's), Base64 encoding.</summary>
    public QueueClient WorkQueue { get; }

    /// <summary>The GPU pool's poison queue, Base64 encoding.</summary>
    public QueueClient PoisonQueue { get; }

    public async Task<BlobContainerClient> ManifestsAsync() => await Storage.ContainerAsync(Options.ManifestContainer);

    public async Task<BlobContainerClient> RecordingsAsync() => await Storage.ContainerAsync(Options.RecordingContainer);

    /// <summary>Uploads (or overwrites) a manifest and returns its blob client.</summary>
    public async Task<BlobClient> UploadManifestAsync(string name, string json)
    {
        var blob = (await ManifestsAsync()).GetBlobClient(name);
        await blob.UploadAsync(BinaryData.FromString(json), overwrite: true);
        return blob;
    }

    /// <summary>Calls IngestManifest as the blob trigger would; returns the messages it sent.</summary>
    public async Task<string[]> TriggerIngestAsync(BlobClient manifest) => [.. (await Ingest.IngestAndSendAsync(manifest)).Messages];

    /// <summary>Receives every message on the work queue (up to <paramref name="max"/>) and deletes none.</summary>
    public async Task<List<string>> ReadQueueAsync(int max = 2_000)
    {
        var bodies = new List<string>();
        if (!(await WorkQueue.ExistsAsync()).Value) return bodies;
        while (bodies.Count < max)
        {
            var batch = (await WorkQueue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(5))).Value;
            if (batch.Length == 0) break;
            bodies.AddRange(batch.Select(m => m.Body.ToString()));
        }
        return bodies;
    }

    /// <summary>The raw text on the wire of up to 32 messages (read with no decoding).</summary>
    public async Task<List<string>> PeekWireAsync()
    {
        var raw = new QueueClient(Environment.GetEnvironmentVariable("SAMAUDIO_TEST_STORAGE"), Options.CpuWorkQueue);
        return (await raw.PeekMessagesAsync(32)).Value.Select(m => m.Body.ToString()).ToList();
    }

    /// <summary>Number of messages on the work queue (0 when the queue does not exist).</summary>
    public async Task<int> QueueCountAsync() =>
        (await WorkQueue.ExistsAsync()).Value ? (await WorkQueue.GetPropertiesAsync()).Value.ApproximateMessagesCount : 0;

    public static string Decode(string base64) => Encoding.UTF8.GetString(Convert.FromBase64String(base64));

    public Task CleanUpAsync() => Storage.CleanUpAsync();
}
