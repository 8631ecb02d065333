using System.Text.Json.Nodes;

namespace SamAudio.Infra.Tests;

/// <summary>Which identity gets which role on which resource, as the deployment would assign them.</summary>
public sealed class RoleAssignmentTests(BicepTemplate template) : IClassFixture<BicepTemplate>
{
    private const string BlobDataOwner = "Storage Blob Data Owner";
    private const string BlobDataContributor = "Storage Blob Data Contributor";
    private const string BlobDataReader = "Storage Blob Data Reader";
    private const string QueueDataContributor = "Storage Queue Data Contributor";
    private const string QueueMessageSender = "Storage Queue Data Message Sender";
    private const string AcrPull = "AcrPull";

    /// <summary>The built-in roles the templates may grant, by definition id; all of them data-plane roles.</summary>
    private static readonly Dictionary<string, string> Roles = new()
    {
        ["b7e6dc6d-f1e8-4753-8033-0f276bb0955b"] = BlobDataOwner,
        ["ba92f5b4-2d11-453d-a403-e96b0029c9fe"] = BlobDataContributor,
        ["2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"] = BlobDataReader,
        ["974c5e8b-45b9-4653-ba55-5f855dd0fb88"] = QueueDataContributor,
        ["c6a89b2d-59bc-44d0-9896-0f6e12d7b80a"] = QueueMessageSender,
        ["7f951dda-4ed3-4680-a7ca-43fe172d538d"] = AcrPull,
    };

    private static string Text(JsonNode? node) => ArmEvaluator.Text(node);

    private string Id(string type, string namePrefix) =>
        Text(Assert.Single(template.Deployed(), r => Text(r["type"]) == type && Text(r["name"]).StartsWith(namePrefix, StringComparison.Ordinal))["id"]);

    private string Storage => Id("Microsoft.Storage/storageAccounts", "st");

    private string Container(string name) => $"{Storage}/blobServices/default/containers/{name}";

    private string Queue(string name) => $"{Storage}/queueServices/default/queues/{name}";

    private string Principal(string identityPrefix) => $"reference({Id("Microsoft.ManagedIdentity/userAssignedIdentities", identityPrefix)}).principalId";

    private List<(string Principal, string Role, string Scope)> Assignments() =>
        [.. template.Deployed().Where(r => Text(r["type"]) == "Microsoft.Authorization/roleAssignments").Select(r =>
        {
            var properties = r["properties"]!;
            var role = Text(properties["roleDefinitionId"]).Split('/')[^1];
            Assert.True(Roles.ContainsKey(role), $"Role {role} is not one of the data roles this project grants.");
            Assert.Equal("ServicePrincipal", Text(properties["principalType"]));
            return (Text(properties["principalId"]), Roles[role], Text(r["scope"]));
        })];

    private HashSet<(string Role, string Scope)> Of(string principal) =>
        [.. Assignments().Where(a => a.Principal == principal).Select(a => (a.Role, a.Scope))];

    [Fact]
    public void Every_assignment_grants_a_data_role_scoped_to_one_resource_not_the_resource_group()
    {
        var assignments = Assignments();

        Assert.Equal(10, assignments.Count);
        Assert.All(assignments, a => Assert.StartsWith(ArmEvaluator.ResourceGroupId + "/providers/", a.Scope, StringComparison.Ordinal));
    }

    [Fact]
    public void Worker_identity_gets_its_containers_pool_queues_poison_queues_and_registry_and_nothing_account_wide()
    {
        var worker = Of(Principal("id-worker-"));

        Assert.Equal(
            new HashSet<(string, string)>
            {
                (BlobDataReader, Container("manifests")),
                (BlobDataReader, Container("recordings")),
                (BlobDataContributor, Container("jobs")),
                (QueueDataContributor, Queue("work-items-cpu")),
                (QueueDataContributor, Queue("work-items-gpu")),
                (QueueMessageSender, Queue("work-items-cpu-poison")),
                (QueueMessageSender, Queue("work-items-gpu-poison")),
                (AcrPull, Id("Microsoft.ContainerRegistry/registries", "cr")),
            },
            worker);
        Assert.DoesNotContain(worker, a => a.Scope == Storage);
    }

    [Fact]
    public void Functions_identity_has_the_host_storage_roles_which_let_it_send_to_both_pool_queues()
    {
        var functions = Of(Principal("id-func-"));

        Assert.Equal(new HashSet<(string, string)> { (BlobDataOwner, Storage), (QueueDataContributor, Storage) }, functions);
        foreach (var queue in new[] { Queue("work-items-cpu"), Queue("work-items-gpu") })
        {
            Assert.Contains(functions, a => a.Role is QueueDataContributor or QueueMessageSender
                && (a.Scope == queue || queue.StartsWith(a.Scope + "/", StringComparison.Ordinal)));
        }
    }
}
