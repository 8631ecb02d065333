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
/// The three functions over real clients on Azurite with unique container and queue names. There is no Functions
/// host here, so <see cref="TriggerIngestAsync"/> does what the host does around IngestManifest: calls the method
/// and sends each returned string as one message through a Base64 queue client (the extension's encoding).
/// </summary>
public sealed class FunctionsHarness
{
    public FunctionsHarness(TimeSpan? shardLength = null)
    {
        Storage = new TestStorage();
        Options = Storage.Options with { ShardLength = shardLength ?? TimeSpan.FromSeconds(10), ShardContext = TimeSpan.FromSeconds(1) };
        Ingestor = new ManifestIngestor(Storage.Blobs, Options);
        Ingest = new IngestManifest(Ingestor);
        Status = new JobStatus(Ingestor.Jobs);
        Poison = new PoisonWorkItems(Ingestor.Jobs, NullLogger<PoisonWorkItems>.Instance);
        WorkQueue = Storage.Factory.CreateQueueClient(Options.WorkQueue);
        PoisonQueue = Storage.Factory.CreateQueueClient(Options.PoisonQueue);
    }

    public TestStorage Storage { get; }

    public StorageOptions Options { get; }

    public ManifestIngestor Ingestor { get; }

    public JobRecordStore Jobs => Ingestor.Jobs;

    public IngestManifest Ingest { get; }

    public JobStatus Status { get; }

    public PoisonWorkItems Poison { get; }

    /// <summary>The work queue, Base64 encoding.</summary>
    public QueueClient WorkQueue { get; }

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

    /// <summary>Calls IngestManifest as the host would, sending its return value through the queue output binding.</summary>
    public async Task<string[]> TriggerIngestAsync(BlobClient manifest)
    {
        var messages = await Ingest.RunAsync(manifest);
        await WorkQueueSender.SendAsync(WorkQueue, messages);
        return messages;
    }

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
        var raw = new QueueClient(Environment.GetEnvironmentVariable("SAMAUDIO_TEST_STORAGE"), Options.WorkQueue);
        return (await raw.PeekMessagesAsync(32)).Value.Select(m => m.Body.ToString()).ToList();
    }

    /// <summary>Number of messages on the work queue (0 when the queue does not exist).</summary>
    public async Task<int> QueueCountAsync() =>
        (await WorkQueue.ExistsAsync()).Value ? (await WorkQueue.GetPropertiesAsync()).Value.ApproximateMessagesCount : 0;

    public static string Decode(string base64) => Encoding.UTF8.GetString(Convert.FromBase64String(base64));

    public Task CleanUpAsync() => Storage.CleanUpAsync();
}
