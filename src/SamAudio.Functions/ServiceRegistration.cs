using Azure.Storage.Blobs;
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

    /// <summary>
    /// Adds the client factory, <see cref="StorageOptions"/> (names from the app settings, including
    /// <c>SamAudioCpuWorkQueue</c> and <c>SamAudioGpuWorkQueue</c>, whose poison queues the poison functions watch),
    /// <see cref="ManifestIngestor"/>, <see cref="JobRecordStore"/>, <see cref="ShardMarkerStore"/> and
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
        services.AddSingleton(sp => new JobStatusReader(
            sp.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(sp.GetRequiredService<StorageOptions>().JobContainer)));
        return services;
    }
}
