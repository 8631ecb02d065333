using System.Text.Json;
using System.Text.Json.Nodes;

namespace SamAudio.Functions.Tests;

/// <summary>Manifest JSON for tests, built as nodes so every test states only what it varies.</summary>
public static class TestManifests
{
    /// <summary>A valid manifest: one item per recording, prompts from the defaults unless given.</summary>
    public static string Create(string jobId, params string[] recordings) => Create(jobId, recordings.Select((r, i) => Item($"item-{i}", r)).ToArray());

    public static string Create(string jobId, JsonObject[] items)
    {
        var manifest = new JsonObject
        {
            ["schema"] = "samaudio.manifest/v1",
            ["jobId"] = jobId,
            ["model"] = "samaudio-mini",
            ["defaults"] = new JsonObject { ["prompts"] = new JsonArray("wind noise"), ["output"] = "target" },
            ["items"] = new JsonArray(items.Cast<JsonNode>().ToArray()),
        };
        return manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    public static JsonObject Item(string id, string recording, string? start = null, string? end = null, params string[] prompts)
    {
        var item = new JsonObject { ["id"] = id, ["recording"] = recording };
        if (start is not null) item["start"] = start;
        if (end is not null) item["end"] = end;
        if (prompts.Length > 0) item["prompts"] = new JsonArray(prompts.Select(p => (JsonNode)new JsonObject { ["text"] = p, ["output"] = "both" }).ToArray());
        return item;
    }
}
