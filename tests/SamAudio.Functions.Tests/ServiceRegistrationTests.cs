using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SamAudio.Functions.Functions;
using SamAudio.Storage;

namespace SamAudio.Functions.Tests;

/// <summary>What Program.cs wires resolves the three functions from app settings alone (no Functions host here).</summary>
public sealed class ServiceRegistrationTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddSamAudioStorage(configuration).BuildServiceProvider();
    }

    [Fact]
    public void Identity_settings_resolve_every_function_with_the_configured_names()
    {
        using var services = Build(new()
        {
            ["SamAudioStorage:blobServiceUri"] = "https://acct.blob.core.windows.net",
            ["SamAudioStorage:queueServiceUri"] = "https://acct.queue.core.windows.net",
            ["SamAudioStorage:credential"] = "managedidentity",
            ["SamAudioStorage:clientId"] = "00000000-0000-0000-0000-000000000002",
            ["SamAudioWorkQueue"] = "gpu-work",
            ["SamAudioShardSeconds"] = "300",
        });

        Assert.NotNull(ActivatorUtilities.CreateInstance<IngestManifest>(services));
        Assert.NotNull(ActivatorUtilities.CreateInstance<JobStatus>(services));
        Assert.NotNull(ActivatorUtilities.CreateInstance<PoisonWorkItems>(services));
        var options = services.GetRequiredService<StorageOptions>();
        Assert.Equal(("gpu-work", "gpu-work-poison", TimeSpan.FromMinutes(5)), (options.WorkQueue, options.PoisonQueue, options.ShardLength));
    }

    [Fact]
    public void Missing_connection_fails_with_the_setting_names_to_set()
    {
        using var services = Build([]);

        var ex = Assert.Throws<InvalidOperationException>(() => ActivatorUtilities.CreateInstance<IngestManifest>(services));
        Assert.Contains("SamAudioStorage__blobServiceUri", ex.Message, StringComparison.Ordinal);
    }
}
