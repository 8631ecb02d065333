using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SamAudio.Storage;
using SamAudio.Storage.Ingestion;
using SamAudio.Storage.Jobs;

namespace SamAudio.Functions;

/// <summary>Registers the storage library for the functions.</summary>
public static class ServiceRegistration
{
    /// <summary>Name of the storage connection setting (<c>SamAudioStorage</c> or <c>SamAudioStorage__blobServiceUri</c>, ...).</summary>
    public const string Connection = "SamAudioStorage";

    /// <summary>Minutes a job with never-received work items must be quiet before the reconciler resends them (default 30).</summary>
    public const string QuietMinutesSetting = "SamAudioReconcileQuietMinutes";

    /// <summary>
    /// Adds the client factory, <see cref="StorageOptions"/> (names from the app settings, including
    /// <c>SamAudioCpuWorkQueue</c> and <c>SamAudioGpuWorkQueue</c>, whose poison queues the poison functions watch),
    /// <see cref="ManifestIngestor"/>, <see cref="PendingWorkReconciler"/>, <see cref="JobRecordStore"/>, <see cref="ShardMarkerStore"/> and
    /// <see cref="JobStatusReader"/>, configured from <paramref name="configuration"/>.
    /// </summary>
    public static IServiceCollection AddSamAudioStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(_ => new StorageClientFactory(StorageConnection.FromSettings(k => configuration[k], Connection)));
        services.AddSingleton(_ => StorageOptions.FromSettings(k => configuration[k]));
        services.AddSingleton(sp => sp.GetRequiredService<StorageClientFactory>().CreateBlobServiceClient());
        services.AddSingleton(sp => sp.GetRequiredService<StorageClientFactory>().CreateQueueServiceClient());
        services.AddSingleton(sp => new ManifestIngestor(sp.GetRequiredService<BlobServiceClient>(), sp.GetRequiredService<StorageOptions>(),
            logger: sp.GetRequiredService<ILogger<ManifestIngestor>>()));
        services.AddSingleton(sp => sp.GetRequiredService<ManifestIngestor>().Jobs);
        services.AddSingleton(sp => sp.GetRequiredService<ManifestIngestor>().Markers);
        services.AddSingleton(sp => new PendingWorkReconciler(sp.GetRequiredService<BlobServiceClient>(), sp.GetRequiredService<QueueServiceClient>(),
            sp.GetRequiredService<StorageOptions>(), sp.GetRequiredService<ManifestIngestor>(), logger: sp.GetRequiredService<ILogger<PendingWorkReconciler>>())
        {
            QuietFor = TimeSpan.FromMinutes(double.TryParse(configuration[QuietMinutesSetting], System.Globalization.CultureInfo.InvariantCulture, out var minutes) ? minutes : 30),
        });
        services.AddSingleton(sp => new JobStatusReader(
            sp.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(sp.GetRequiredService<StorageOptions>().JobContainer)));
        return services;
    }
}
