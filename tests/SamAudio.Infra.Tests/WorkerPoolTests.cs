using System.Text.Json.Nodes;

namespace SamAudio.Infra.Tests;

/// <summary>The two worker pools (cpu, gpu): one queue-scaled Container Apps job each, as the deployment would create them.</summary>
public sealed class WorkerPoolTests(BicepTemplate template) : IClassFixture<BicepTemplate>
{
    private static readonly string[] PoolNames = ["cpu", "gpu"];

    public static TheoryData<string> Pools => new(PoolNames);

    private static string Text(JsonNode? node) => ArmEvaluator.Text(node);

    private JsonObject Resource(string type, string namePrefix) =>
        Assert.Single(template.Deployed(), r => Text(r["type"]) == type && Text(r["name"]).StartsWith(namePrefix, StringComparison.Ordinal));

    private string WorkerIdentityId => Text(Resource("Microsoft.ManagedIdentity/userAssignedIdentities", "id-worker-")["id"]);

    /// <summary>The job that azd deploys as <c>worker-{pool}</c>.</summary>
    private static JsonObject Job(IEnumerable<JsonObject> resources, string pool) =>
        Assert.Single(resources, r => Text(r["type"]) == "Microsoft.App/jobs" && Text(r["tags"]?["azd-service-name"]) == $"worker-{pool}");

    private JsonObject Job(string pool) => Job(template.Deployed(), pool);

    private static JsonNode Container(JsonObject job) => Assert.Single(job["properties"]!["template"]!["containers"]!.AsArray())!;

    [Fact]
    public void There_are_exactly_two_jobs_one_per_pool()
    {
        var jobs = template.Deployed().Where(r => Text(r["type"]) == "Microsoft.App/jobs").ToList();

        Assert.Equal(["worker-cpu", "worker-gpu"], jobs.Select(j => Text(j["tags"]?["azd-service-name"])).Order(StringComparer.Ordinal));
        Assert.All(jobs, j => Assert.Equal(BicepTemplate.EnvironmentName, Text(j["tags"]!["azd-env-name"])));
    }

    [Theory]
    [MemberData(nameof(Pools))]
    public void Job_is_started_by_an_azure_queue_rule_on_its_own_queue_counting_visible_messages(string pool)
    {
        var configuration = Job(pool)["properties"]!["configuration"]!;
        Assert.Equal("Event", Text(configuration["triggerType"]));
        var rule = Assert.Single(configuration["eventTriggerConfig"]!["scale"]!["rules"]!.AsArray())!;
        var metadata = rule["metadata"]!;

        Assert.Equal("azure-queue", Text(rule["type"]));
        Assert.Equal($"work-items-{pool}", Text(metadata["queueName"]));
        Assert.Equal(Text(Resource("Microsoft.Storage/storageAccounts", "st")["name"]), Text(metadata["accountName"]));
        Assert.Equal("1", Text(metadata["queueLength"]));
        Assert.Equal("visibleonly", Text(metadata["queueLengthStrategy"]));
    }

    [Theory]
    [MemberData(nameof(Pools))]
    public void Queue_rule_and_image_pulls_authenticate_with_the_workers_user_assigned_identity(string pool)
    {
        var job = Job(pool);
        var configuration = job["properties"]!["configuration"]!;
        var rule = configuration["eventTriggerConfig"]!["scale"]!["rules"]![0]!;

        Assert.Equal("UserAssigned", Text(job["identity"]!["type"]));
        Assert.Equal([WorkerIdentityId], job["identity"]!["userAssignedIdentities"]!.AsObject().Select(p => p.Key));
        Assert.Equal(WorkerIdentityId, Text(rule["identity"]));
        Assert.Null(rule["auth"]);
        var registry = Assert.Single(configuration["registries"]!.AsArray())!;
        Assert.Equal(WorkerIdentityId, Text(registry["identity"]));
        Assert.Equal($"reference({Text(Resource("Microsoft.ContainerRegistry/registries", "cr")["id"])}).loginServer", Text(registry["server"]));
        // No storage key or registry password anywhere: the one secret is the telemetry connection string.
        var secret = Assert.Single(configuration["secrets"]!.AsArray())!;
        Assert.Equal("appinsights-connection", Text(secret["name"]));
        Assert.Equal($"reference({Text(Resource("Microsoft.Insights/components", "appi-")["id"])}).ConnectionString", Text(secret["value"]));
    }

    [Fact]
    public void Workers_and_the_functions_app_export_telemetry_to_one_application_insights()
    {
        var connection = $"reference({Text(Resource("Microsoft.Insights/components", "appi-")["id"])}).ConnectionString";
        var functions = Resource("Microsoft.Web/sites", "func-")["properties"]!["siteConfig"]!["appSettings"]!.AsArray()
            .ToDictionary(s => Text(s!["name"]), s => Text(s!["value"]));

        Assert.Equal(("azuremonitor", connection), (functions["SamAudioTelemetry"], functions["APPLICATIONINSIGHTS_CONNECTION_STRING"]));
        Assert.Equal(Text(Resource("Microsoft.OperationalInsights/workspaces", "log-")["id"]),
            Text(Resource("Microsoft.Insights/components", "appi-")["properties"]!["WorkspaceResourceId"]));
    }

    [Fact]
    public void Gpu_job_runs_on_the_gpu_workload_profile_and_cpu_job_on_consumption()
    {
        var profiles = Resource("Microsoft.App/managedEnvironments", "cae-")["properties"]!["workloadProfiles"]!.AsArray()
            .ToDictionary(p => Text(p!["name"]), p => Text(p!["workloadProfileType"]));
        var gpu = Job("gpu");
        var cpu = Job("cpu");

        Assert.StartsWith("Consumption-GPU-", profiles[Text(gpu["properties"]!["workloadProfileName"])], StringComparison.Ordinal);
        Assert.Equal("Consumption", profiles[Text(cpu["properties"]!["workloadProfileName"])]);
        var resources = Container(cpu)["resources"]!;
        Assert.Equal(("2", "4Gi"), (Text(resources["cpu"]), Text(resources["memory"])));
    }

    [Fact]
    public void Gpu_replicas_may_run_four_hours_and_cpu_replicas_two()
    {
        long Timeout(string pool) => ArmEvaluator.Integer(Job(pool)["properties"]!["configuration"]!["replicaTimeout"]);

        Assert.Equal(4 * 3600, Timeout("gpu"));
        Assert.Equal(2 * 3600, Timeout("cpu"));
    }

    [Fact]
    public void Executions_are_one_replica_each_with_separate_cpu_and_gpu_maximums_from_parameters()
    {
        var resources = template.Deployed(new Dictionary<string, JsonNode?> { ["maxCpuWorkers"] = 3, ["maxGpuWorkers"] = 7 });
        JsonNode Trigger(string pool) => Job(resources, pool)["properties"]!["configuration"]!["eventTriggerConfig"]!;

        Assert.Equal(3, ArmEvaluator.Integer(Trigger("cpu")["scale"]!["maxExecutions"]));
        Assert.Equal(7, ArmEvaluator.Integer(Trigger("gpu")["scale"]!["maxExecutions"]));
        Assert.All(PoolNames, p => Assert.Equal(1, ArmEvaluator.Integer(Trigger(p)["parallelism"])));
    }

    [Fact]
    public void Workers_and_the_functions_app_read_max_attempts_from_the_same_parameter()
    {
        var resources = template.Deployed(new Dictionary<string, JsonNode?> { ["maxAttempts"] = 3 });
        var functions = Assert.Single(resources, r => Text(r["type"]) == "Microsoft.Web/sites")["properties"]!["siteConfig"]!["appSettings"]!.AsArray();

        Assert.Equal("3", Text(Assert.Single(functions, s => Text(s!["name"]) == "SamAudioMaxAttempts")!["value"]));
        Assert.All(PoolNames, p => Assert.Equal("3",
            Text(Assert.Single(Container(Job(resources, p))["env"]!.AsArray(), e => Text(e!["name"]) == "SamAudioMaxAttempts")!["value"])));
    }

    [Theory]
    [MemberData(nameof(Pools))]
    public void Worker_container_gets_identity_based_storage_and_its_pools_settings_and_no_args(string pool)
    {
        var container = Container(Job(pool));
        var env = container["env"]!.AsArray().ToDictionary(e => Text(e!["name"]), e => e!["secretRef"] is { } secret ? $"secretRef:{Text(secret)}" : Text(e["value"]));
        var storage = Text(Resource("Microsoft.Storage/storageAccounts", "st")["id"]);
        var functions = Resource("Microsoft.Web/sites", "func-")["properties"]!["siteConfig"]!["appSettings"]!.AsArray();
        var clientId = $"reference({WorkerIdentityId}).clientId";

        Assert.Equal(new Dictionary<string, string>
        {
            ["SamAudioStorage__blobServiceUri"] = $"reference({storage}).primaryEndpoints.blob",
            ["SamAudioStorage__queueServiceUri"] = $"reference({storage}).primaryEndpoints.queue",
            ["SamAudioStorage__credential"] = "managedidentity",
            ["SamAudioStorage__clientId"] = clientId,
            ["SamAudioWorkQueue"] = $"work-items-{pool}",
            ["SamAudioPool"] = pool,
            ["SamAudioLeaseSeconds"] = "300",
            ["SamAudioMaxAttempts"] = Text(Assert.Single(functions, s => Text(s!["name"]) == "SamAudioMaxAttempts")!["value"]),
            ["SamAudioReplicaTimeoutSeconds"] = Text(Job(pool)["properties"]!["configuration"]!["replicaTimeout"]),
            ["AZURE_CLIENT_ID"] = clientId,
            ["SamAudioHealthPort"] = "8080",
            ["SamAudioTelemetry"] = "azuremonitor",
            ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = "secretRef:appinsights-connection",
        }, env);
        Assert.True(container["args"] is null or JsonArray { Count: 0 }, "The worker's default in a job is to stop when no message is visible.");
    }

    [Theory]
    [MemberData(nameof(Pools))]
    public void Liveness_probe_gets_healthz_on_the_port_the_worker_listens_on(string pool)
    {
        var container = Container(Job(pool));
        var env = container["env"]!.AsArray().ToDictionary(e => Text(e!["name"]), e => Text(e!["value"]));
        var probe = Assert.Single(container["probes"]!.AsArray())!;

        Assert.Equal("Liveness", Text(probe["type"]));
        Assert.Equal("/healthz", Text(probe["httpGet"]!["path"]));
        Assert.Equal(env["SamAudioHealthPort"], ArmEvaluator.Integer(probe["httpGet"]!["port"]).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.InRange(ArmEvaluator.Integer(probe["failureThreshold"]), 2, 10); // one slow answer must not restart a replica
    }

    [Theory]
    [MemberData(nameof(Pools))]
    public void Azure_yaml_deploys_the_pool_job_from_the_worker_project_with_the_repository_as_docker_context(string pool)
    {
        var lines = File.ReadAllLines(Path.Combine(template.Root, "azure.yaml"));
        var start = Array.IndexOf(lines, $"  worker-{pool}:");
        Assert.True(start > 0, $"azure.yaml has no service worker-{pool}.");
        var service = lines.Skip(start + 1).TakeWhile(l => l.StartsWith("    ", StringComparison.Ordinal) || l.Trim().Length == 0).Select(l => l.Trim()).ToList();

        Assert.Contains("project: ./src/SamAudio.Worker", service);
        Assert.Contains("language: dotnet", service);
        Assert.Contains("host: containerapp", service);
        Assert.Contains("docker:", service);
        Assert.Contains("path: ./Dockerfile", service);
        Assert.Contains("context: ../..", service);
    }
}
