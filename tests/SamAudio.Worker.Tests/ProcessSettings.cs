using System.Globalization;
using SamAudio.Storage;
using SamAudio.Storage.Tests;

namespace SamAudio.Worker.Tests;

/// <summary>The settings the programs started by a test get for a <see cref="TestStorage"/>'s names.</summary>
internal static class ProcessSettings
{
    /// <summary>For <c>samaudio-worker</c> on the CPU pool's queue.</summary>
    public static Dictionary<string, string> Worker(TestStorage storage, StorageOptions options, int leaseSeconds = 60) => new()
    {
        ["SamAudioStorage"] = storage.Connection,
        ["SamAudioWorkQueue"] = options.CpuWorkQueue,
        ["SamAudioJobContainer"] = options.JobContainer,
        ["SamAudioRecordingContainer"] = options.RecordingContainer,
        ["SamAudioManifestContainer"] = options.ManifestContainer,
        ["SamAudioLeaseSeconds"] = leaseSeconds.ToString(CultureInfo.InvariantCulture),
        ["SamAudioHealthPort"] = "0", // several workers run at once; HealthTests turns it on with a free port
    };

    /// <summary>For the <c>samaudio</c> command line.</summary>
    public static Dictionary<string, string> Cli(TestStorage storage, StorageOptions options) => new()
    {
        ["SAMAUDIO_STORAGE"] = storage.Connection,
        ["SamAudioJobContainer"] = options.JobContainer,
        ["SamAudioRecordingContainer"] = options.RecordingContainer,
        ["SamAudioManifestContainer"] = options.ManifestContainer,
        ["SamAudioCpuWorkQueue"] = options.CpuWorkQueue,
        ["SamAudioGpuWorkQueue"] = options.GpuWorkQueue,
    };
}
