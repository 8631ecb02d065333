using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SamAudio.Functions.Functions;
using SamAudio.Storage;

namespace SamAudio.Functions.Tests;

/// <summary>What Program.cs wires resolves the functions from app settings alone (no Functions host here).</summary>
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
            ["SamAudioCpuWorkQueue"] = "pool-cpu",
            ["SamAudioGpuWorkQueue"] = "pool-gpu",
            ["SamAudioShardSeconds"] = "300",
        });

        Assert.NotNull(ActivatorUtilities.CreateInstance<IngestManifest>(services));
        Assert.NotNull(ActivatorUtilities.CreateInstance<JobStatus>(services));
        Assert.NotNull(ActivatorUtilities.CreateInstance<PoisonWorkItems>(services));
        var options = services.GetRequiredService<StorageOptions>();
        Assert.Equal(TimeSpan.FromMinutes(5), options.ShardLength);
        Assert.Equal(("pool-cpu", "pool-gpu"), (options.CpuWorkQueue, options.GpuWorkQueue));
    }

    [Fact]
    public void Pool_queues_default_to_the_names_the_poison_bindings_expect()
    {
        using var services = Build(new() { ["SamAudioStorage"] = "UseDevelopmentStorage=true" });

        var options = services.GetRequiredService<StorageOptions>();
        Assert.Equal(("work-items-cpu", "work-items-gpu"), (options.CpuWorkQueue, options.GpuWorkQueue));
        Assert.Equal(("work-items-cpu-poison", "work-items-gpu-poison"),
            (StorageOptions.PoisonQueueOf(options.CpuWorkQueue), StorageOptions.PoisonQueueOf(options.GpuWorkQueue)));
    }

    [Fact]
    public void Sample_local_settings_name_both_pool_queues_the_poison_triggers_bind_to()
    {
        var path = Path.Combine(InvalidManifestCorpusTests.RepositoryRoot(), "local.settings.sample.json");
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(path));
        var values = doc.RootElement.GetProperty("Values");

        Assert.Equal(("work-items-cpu", "work-items-gpu"),
            (values.GetProperty("SamAudioCpuWorkQueue").GetString(), values.GetProperty("SamAudioGpuWorkQueue").GetString()));
    }

    [Fact]
    public void Missing_connection_fails_with_the_setting_names_to_set()
    {
        using var services = Build([]);

        var ex = Assert.Throws<InvalidOperationException>(() => ActivatorUtilities.CreateInstance<IngestManifest>(services));
        Assert.Contains("SamAudioStorage__blobServiceUri", ex.Message, StringComparison.Ordinal);
    }
}
