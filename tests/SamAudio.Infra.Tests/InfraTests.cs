using System.Text.Json.Nodes;

namespace SamAudio.Infra.Tests;

public sealed class InfraTests(BicepTemplate template) : IClassFixture<BicepTemplate>
{
    private JsonObject Single(string type) => Assert.Single(template.Deployed(), r => Text(r["type"]) == type);

    private IEnumerable<JsonObject> All(string type) => template.Deployed().Where(r => Text(r["type"]) == type);

    private static string Text(JsonNode? node) => ArmEvaluator.Text(node);

    private static Dictionary<string, string> AppSettings(JsonObject site) =>
        site["properties"]!["siteConfig"]!["appSettings"]!.AsArray().ToDictionary(s => Text(s!["name"]), s => Text(s!["value"]));

    [Fact]
    public void Main_bicep_compiles_offline_without_warnings()
    {
        Assert.Equal(0, template.ExitCode);
        Assert.Equal("", template.Diagnostics.Trim());
    }

    [Fact]
    public void Infra_uses_no_registry_modules()
    {
        foreach (var file in Directory.EnumerateFiles(Path.Combine(template.Root, "infra"), "*.bicep"))
            Assert.DoesNotContain("br/public:", File.ReadAllText(file), StringComparison.Ordinal);
    }

    [Fact]
    public void Storage_refuses_shared_keys_and_has_a_work_and_a_poison_queue_per_pool()
    {
        var properties = Single("Microsoft.Storage/storageAccounts")["properties"]!;

        Assert.False(properties["allowSharedKeyAccess"]!.GetValue<bool>());
        Assert.False(properties["allowBlobPublicAccess"]!.GetValue<bool>());
        var queues = All("Microsoft.Storage/storageAccounts/queueServices/queues").Select(q => Text(q["name"]).Split('/')[^1]);
        Assert.Equal(["work-items-cpu", "work-items-cpu-poison", "work-items-gpu", "work-items-gpu-poison"], queues.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Functions_run_on_flex_consumption_with_identity_based_storage_settings()
    {
        Assert.Equal("FC1", Text(Single("Microsoft.Web/serverfarms")["sku"]!["name"]));
        var site = Single("Microsoft.Web/sites");
        var identity = Assert.Single(All("Microsoft.ManagedIdentity/userAssignedIdentities"), i => Text(i["name"]).StartsWith("id-func-", StringComparison.Ordinal));
        Assert.Equal("UserAssigned", Text(site["identity"]!["type"]));
        Assert.Equal([Text(identity["id"])], site["identity"]!["userAssignedIdentities"]!.AsObject().Select(p => p.Key));
        var runtime = site["properties"]!["functionAppConfig"]!["runtime"]!;
        Assert.Equal(("dotnet-isolated", "10.0"), (Text(runtime["name"]), Text(runtime["version"])));
        // <prefix>__<key> for each identity setting, for the host and for SamAudio's connection.
        var settings = AppSettings(site);
        var storage = Text(Single("Microsoft.Storage/storageAccounts")["id"]);
        foreach (var prefix in new[] { "AzureWebJobsStorage", "SamAudioStorage" })
        {
            Assert.Equal($"reference({storage}).primaryEndpoints.blob", settings[$"{prefix}__blobServiceUri"]);
            Assert.Equal($"reference({storage}).primaryEndpoints.queue", settings[$"{prefix}__queueServiceUri"]);
            Assert.Equal("managedidentity", settings[$"{prefix}__credential"]);
            Assert.Equal($"reference({Text(identity["id"])}).clientId", settings[$"{prefix}__clientId"]);
        }
        Assert.DoesNotContain("AccountKey", template.Json, StringComparison.Ordinal);
    }

    [Fact]
    public void Functions_app_names_both_pool_queues_and_no_single_work_queue()
    {
        var settings = AppSettings(Single("Microsoft.Web/sites"));

        Assert.Equal("work-items-cpu", settings["SamAudioCpuWorkQueue"]);
        Assert.Equal("work-items-gpu", settings["SamAudioGpuWorkQueue"]);
        Assert.False(settings.ContainsKey("SamAudioWorkQueue"), "the Functions app routes by pool; one work queue setting would be unused");
        Assert.Equal("5", settings["SamAudioMaxAttempts"]);
    }

    [Fact]
    public void Outputs_name_the_pool_queues_the_worker_identity_and_the_registry_for_azd()
    {
        var outputs = template.Outputs();
        string Value(string name) => Text(outputs[name]!["value"]);
        var worker = Assert.Single(All("Microsoft.ManagedIdentity/userAssignedIdentities"), i => Text(i["name"]).StartsWith("id-worker-", StringComparison.Ordinal));

        Assert.Equal("work-items-cpu", Value("SAMAUDIO_CPU_WORK_QUEUE"));
        Assert.Equal("work-items-gpu", Value("SAMAUDIO_GPU_WORK_QUEUE"));
        Assert.Equal($"reference({Text(worker["id"])}).clientId", Value("SAMAUDIO_WORKER_CLIENT_ID"));
        Assert.Equal($"reference({Text(Single("Microsoft.ContainerRegistry/registries")["id"])}).loginServer", Value("AZURE_CONTAINER_REGISTRY_ENDPOINT"));
        // The worker module lists its job names in the order of pools.
        Assert.Equal(["cpu", "gpu"], template.Evaluate("[variables('pools')]")!.AsArray().Select(p => Text(p!["name"])));
        Assert.EndsWith(".outputs.jobNames.value[0]", Value("AZURE_WORKER_CPU_JOB"), StringComparison.Ordinal);
        Assert.EndsWith(".outputs.jobNames.value[1]", Value("AZURE_WORKER_GPU_JOB"), StringComparison.Ordinal);
    }

    [Fact]
    public void Azd_project_points_at_the_bicep_and_the_functions_project()
    {
        var yaml = File.ReadAllText(Path.Combine(template.Root, "azure.yaml"));

        Assert.Contains("path: infra", yaml, StringComparison.Ordinal);
        Assert.Contains("project: ./src/SamAudio.Functions", yaml, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(template.Root, "src", "SamAudio.Functions", "SamAudio.Functions.csproj")));
        Assert.True(File.Exists(Path.Combine(template.Root, "infra", "main.parameters.json")));
    }
}
