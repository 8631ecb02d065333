using Azure.Storage.Blobs;
using SamAudio.Storage;

namespace SamAudio.Worker.Tests;

/// <summary>
/// The Azurite account <c>./test.sh</c> starts, with container and queue names unique to the test. Fails (never
/// skips) when <c>SAMAUDIO_TEST_STORAGE</c> is missing, so a run without Azurite cannot pass silently.
/// </summary>
internal sealed class WorkerStorage
{
    public WorkerStorage()
    {
        Connection = Environment.GetEnvironmentVariable("SAMAUDIO_TEST_STORAGE") ?? "";
        if (string.IsNullOrWhiteSpace(Connection))
        {
            Assert.Fail("SAMAUDIO_TEST_STORAGE is not set. Run the tests through ./test.sh, which starts Azurite and exports it.");
        }

        Factory = new StorageClientFactory(StorageConnection.FromConnectionString(Connection));
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

    public string Connection { get; }

    public StorageClientFactory Factory { get; }

    public BlobServiceClient Blobs { get; }

    public StorageOptions Options { get; }

    /// <summary>The settings a worker process gets for <paramref name="options"/>.</summary>
    public Dictionary<string, string> WorkerEnvironment(StorageOptions options, int leaseSeconds = 60) => new()
    {
        ["SamAudioStorage"] = Connection,
        ["SamAudioWorkQueue"] = options.CpuWorkQueue,
        ["SamAudioJobContainer"] = options.JobContainer,
        ["SamAudioRecordingContainer"] = options.RecordingContainer,
        ["SamAudioManifestContainer"] = options.ManifestContainer,
        ["SamAudioLeaseSeconds"] = leaseSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>The settings the <c>samaudio</c> command line gets for <paramref name="options"/>.</summary>
    public Dictionary<string, string> CliEnvironment(StorageOptions options) => new()
    {
        ["SAMAUDIO_STORAGE"] = Connection,
        ["SamAudioJobContainer"] = options.JobContainer,
        ["SamAudioRecordingContainer"] = options.RecordingContainer,
        ["SamAudioManifestContainer"] = options.ManifestContainer,
        ["SamAudioCpuWorkQueue"] = options.CpuWorkQueue,
        ["SamAudioGpuWorkQueue"] = options.GpuWorkQueue,
    };

    public async Task CleanUpAsync()
    {
        foreach (var name in new[] { Options.ManifestContainer, Options.RecordingContainer, Options.JobContainer })
        {
            await Blobs.GetBlobContainerClient(name).DeleteIfExistsAsync();
        }

        foreach (var name in new[] { Options.CpuWorkQueue, Options.CpuWorkQueue + "-poison", Options.GpuWorkQueue, Options.GpuWorkQueue + "-poison" })
        {
            await Factory.CreateQueueClient(name).DeleteIfExistsAsync();
        }
    }
}
