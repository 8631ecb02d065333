using System.Text.Json;
using System.Text.RegularExpressions;

namespace SamAudio.Infra.Tests;

public sealed class InfraTests(BicepTemplate template) : IClassFixture<BicepTemplate>
{
    private JsonElement Single(string type) => Assert.Single(template.Resources(), r => r.GetProperty("type").GetString() == type);

    private IEnumerable<JsonElement> All(string type) => template.Resources().Where(r => r.GetProperty("type").GetString() == type);

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
    public void Storage_refuses_shared_keys_and_has_the_work_and_poison_queues()
    {
        var properties = Single("Microsoft.Storage/storageAccounts").GetProperty("properties");

        Assert.False(properties.GetProperty("allowSharedKeyAccess").GetBoolean());
        Assert.False(properties.GetProperty("allowBlobPublicAccess").GetBoolean());
        Assert.Equal(2, All("Microsoft.Storage/storageAccounts/queueServices/queues").Count());
        Assert.Contains("-poison", template.Json, StringComparison.Ordinal);
    }

    [Fact]
    public void Functions_run_on_flex_consumption_with_identity_based_storage_settings()
    {
        Assert.Equal("FC1", Single("Microsoft.Web/serverfarms").GetProperty("sku").GetProperty("name").GetString());
        var site = Single("Microsoft.Web/sites");
        Assert.Equal("UserAssigned", site.GetProperty("identity").GetProperty("type").GetString());
        var runtime = site.GetProperty("properties").GetProperty("functionAppConfig").GetProperty("runtime");
        Assert.Equal(("dotnet-isolated", "10.0"), (runtime.GetProperty("name").GetString(), runtime.GetProperty("version").GetString()));
        // App settings are <prefix>__<key> for each identity setting, for the host and for SamAudio's connection.
        var settings = site.GetProperty("properties").GetProperty("siteConfig").GetProperty("appSettings").GetString()!;
        foreach (var text in new[] { "'AzureWebJobsStorage__{0}'", "'SamAudioStorage__{0}'", "blobServiceUri", "queueServiceUri", "'managedidentity'", "clientId" })
            Assert.Contains(text, settings, StringComparison.Ordinal);
        Assert.DoesNotContain("AccountKey", template.Json, StringComparison.Ordinal);
    }

    [Fact]
    public void Worker_is_a_queue_scaled_job_on_a_gpu_profile_using_its_managed_identity()
    {
        var environment = Single("Microsoft.App/managedEnvironments").GetProperty("properties");
        Assert.Contains(environment.GetProperty("workloadProfiles").EnumerateArray(), p => p.GetProperty("name").GetString() == "gpu");
        var job = Single("Microsoft.App/jobs").GetProperty("properties");
        Assert.Equal("gpu", job.GetProperty("workloadProfileName").GetString());
        var configuration = job.GetProperty("configuration");
        Assert.Equal("Event", configuration.GetProperty("triggerType").GetString());
        var rule = Assert.Single(configuration.GetProperty("eventTriggerConfig").GetProperty("scale").GetProperty("rules").EnumerateArray());
        Assert.Equal("azure-queue", rule.GetProperty("type").GetString());
        Assert.True(rule.TryGetProperty("identity", out _));
        Assert.False(rule.TryGetProperty("auth", out _));
    }

    [Fact]
    public void Role_assignments_are_scoped_to_the_storage_they_need_and_grant_no_management_roles()
    {
        var dataRoles = new[]
        {
            "b7e6dc6d-f1e8-4753-8033-0f276bb0955b", "ba92f5b4-2d11-453d-a403-e96b0029c9fe", "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
            "974c5e8b-45b9-4653-ba55-5f855dd0fb88", "c6a89b2d-59bc-44d0-9896-0f6e12d7b80a",
        };
        using var doc = JsonDocument.Parse(template.Json);
        var roles = doc.RootElement.GetProperty("variables").GetProperty("roles");
        var assignments = All("Microsoft.Authorization/roleAssignments").ToList();

        Assert.Equal(6, assignments.Count);
        Assert.All(assignments, a => Assert.True(a.TryGetProperty("scope", out _), "A role assignment is at resource-group scope."));
        Assert.All(assignments, a =>
        {
            var match = Regex.Match(a.GetProperty("properties").GetProperty("roleDefinitionId").GetString()!, @"variables\('roles'\)\.(\w+)");
            Assert.True(match.Success);
            Assert.Contains(roles.GetProperty(match.Groups[1].Value).GetString(), dataRoles);
        });
        Assert.Equal(4, assignments.Count(a => a.GetProperty("scope").GetString()!.Contains("containers", StringComparison.Ordinal)
            || a.GetProperty("scope").GetString()!.Contains("queues", StringComparison.Ordinal)));
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
