using System.Diagnostics;
using System.Reflection;
using System.Text.Json;

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

    public string Root { get; }

    public int ExitCode { get; }

    /// <summary>Warnings and errors Bicep printed (empty when clean).</summary>
    public string Diagnostics { get; }

    public string Json { get; }

    /// <summary>All resources of the template and of its nested module deployments.</summary>
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
