using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace SamAudio.Storage.Tests;

/// <summary>
/// The Azurite account <c>./test.sh</c> starts, with unique container and queue names per test. Fails (never skips)
/// when <c>SAMAUDIO_TEST_STORAGE</c> is missing, so a run without Azurite cannot pass silently.
/// </summary>
public sealed class TestStorage
{
    private readonly List<BlobContainerClient> _containers = [];
    private readonly List<QueueClient> _queues = [];

    public TestStorage()
    {
        var connection = Environment.GetEnvironmentVariable("SAMAUDIO_TEST_STORAGE");
        if (string.IsNullOrWhiteSpace(connection))
            Assert.Fail("SAMAUDIO_TEST_STORAGE is not set. Run the tests through ./test.sh, which starts Azurite and exports it.");
        Connection = connection!;
        Factory = new StorageClientFactory(StorageConnection.FromConnectionString(connection!));
        Blobs = Factory.CreateBlobServiceClient();
        var suffix = Guid.NewGuid().ToString("N")[..12];
        Options = new StorageOptions
        {
            ManifestContainer = $"man-{suffix}",
            RecordingContainer = $"rec-{suffix}",
            JobContainer = $"job-{suffix}",
            CpuWorkQueue = $"cpu-{suffix}",
            GpuWorkQueue = $"gpu-{suffix}",
        }.Validate();
    }

    /// <summary>The Azurite connection string (for processes started by a test).</summary>
    public string Connection { get; }

    public StorageClientFactory Factory { get; }

    public BlobServiceClient Blobs { get; }

    public StorageOptions Options { get; }

    /// <summary>A container that exists and is deleted after the test.</summary>
    public async Task<BlobContainerClient> ContainerAsync(string name)
    {
        var container = Blobs.GetBlobContainerClient(name);
        await container.CreateIfNotExistsAsync();
        _containers.Add(container);
        return container;
    }

    /// <summary>A Base64 queue client that is deleted after the test.</summary>
    public QueueClient Queue(string name)
    {
        var queue = Factory.CreateQueueClient(name);
        _queues.Add(queue);
        return queue;
    }

    public async Task CleanUpAsync()
    {
        foreach (var name in new[] { Options.ManifestContainer, Options.RecordingContainer, Options.JobContainer })
            _containers.Add(Blobs.GetBlobContainerClient(name));
        foreach (var c in _containers) await c.DeleteIfExistsAsync();
        foreach (var queue in new[] { Options.CpuWorkQueue, Options.GpuWorkQueue })
        {
            _queues.Add(Factory.CreateQueueClient(queue));
            _queues.Add(Factory.CreateQueueClient(StorageOptions.PoisonQueueOf(queue)));
        }
        foreach (var q in _queues) await q.DeleteIfExistsAsync();
    }
}
