using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SamAudio.Infra.Tests;

/// <summary>Compiles <c>infra/main.bicep</c> once with the Bicep CLI from NuGet and keeps the ARM JSON and diagnostics.</summary>
public sealed class BicepTemplate
{
    public BicepTemplate()
    {
        Root = RepositoryRoot();
        var bicep = typeof(BicepTemplate).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BicepPath").Value!;
        Assert.True(File.Exists(bicep), $"Bicep CLI not found at {bicep}; restore the test project.");
        var start = new ProcessStartInfo(bicep, ["build", Path.Combine(Root, "infra", "main.bicep"), "--stdout"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        Diagnostics = process.StandardError.ReadToEnd();
        process.WaitForExit();
        ExitCode = process.ExitCode;
        Json = stdout.Result;
    }

    private IReadOnlyList<JsonObject>? _deployed;

    public string Root { get; }

    public int ExitCode { get; }

    /// <summary>Warnings and errors Bicep printed (empty when clean).</summary>
    public string Diagnostics { get; }

    public string Json { get; }

    /// <summary>Value of the template's <c>environmentName</c> parameter in <see cref="Deployed()"/> and <see cref="Outputs"/>.</summary>
    public const string EnvironmentName = "test";

    /// <summary>
    /// The resources a deployment with default parameters would create: copy loops expanded, modules entered,
    /// expressions evaluated (see <see cref="ArmDeployment"/>). Evaluated once and shared: read, don't modify.
    /// </summary>
    public IReadOnlyList<JsonObject> Deployed() => _deployed ??= Deployed(new Dictionary<string, JsonNode?>());

    /// <summary>The resources a deployment would create with some parameters given instead of their defaults.</summary>
    public IReadOnlyList<JsonObject> Deployed(IReadOnlyDictionary<string, JsonNode?> parameters) =>
        ArmDeployment.Resources(Template(), new Dictionary<string, JsonNode?>(Parameters.Concat(parameters)));

    /// <summary>The template's outputs, evaluated; values known only after deployment read <c>reference(...)</c>.</summary>
    public JsonObject Outputs()
    {
        var template = Template();
        return (JsonObject)ArmEvaluator.ForTemplate(template, Parameters).Resolve(template["outputs"])!;
    }

    /// <summary>The value of an expression of the main template, e.g. <c>[variables('pools')]</c>.</summary>
    public JsonNode? Evaluate(string expression) => ArmEvaluator.ForTemplate(Template(), Parameters).Evaluate(ArmExpression.Parse(expression));

    private static readonly Dictionary<string, JsonNode?> Parameters = new() { ["environmentName"] = EnvironmentName };

    private JsonObject Template() => (JsonObject)JsonNode.Parse(Json)!;

    /// <summary>All resources of the template and of its nested module deployments, as written (expressions unevaluated).</summary>
    public IReadOnlyList<JsonElement> Resources()
    {
        var list = new List<JsonElement>();
        using var doc = JsonDocument.Parse(Json);
        Collect(doc.RootElement.Clone(), list);
        return list;
    }

    private static void Collect(JsonElement template, List<JsonElement> list)
    {
        var resources = template.GetProperty("resources");
        var items = resources.ValueKind == JsonValueKind.Object ? resources.EnumerateObject().Select(p => p.Value) : resources.EnumerateArray();
        foreach (var resource in items)
        {
            list.Add(resource);
            if (resource.GetProperty("type").GetString() == "Microsoft.Resources/deployments")
                Collect(resource.GetProperty("properties").GetProperty("template"), list);
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SamAudio.Functions.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("SamAudio.Functions.sln not found above " + AppContext.BaseDirectory);
    }
}
