// INTERIM: a stand-in for the core manifest API (COMMON.md) that is being written on branch `manifests`.
// It exists only so this branch builds and its ingestion tests run before that branch lands in main;
// delete this folder when merging main once src/SamAudio.Core/Manifests exists.
using System.Text.Json;

namespace SamAudio.Core.Manifests;

/// <summary>Which output a prompt asks for.</summary>
public enum OutputMode { Target, Residual, Both }

/// <summary>One prompt with its output mode.</summary>
public sealed record PromptSpec(string Text, OutputMode Output);

/// <summary>Channel choice of an item (interim: the raw text).</summary>
public sealed record ChannelSelection(string Value)
{
    public override string ToString() => Value;
}

/// <summary>One validation problem with its JSON path.</summary>
public sealed record ManifestError(string Path, string Message);

/// <summary>Manifest limits.</summary>
public sealed record ManifestLimits(int MaxItems = 10_000, int MaxPromptsPerItem = 16, int MaxPromptLength = 256)
{
    public static ManifestLimits Default { get; } = new();
}

/// <summary>One item with defaults applied.</summary>
public sealed record ManifestItem(string Id, string Recording, string? Sha256, IReadOnlyList<PromptSpec> Prompts,
    TimeSpan? Start, TimeSpan? End, ChannelSelection Channel, double SegmentSeconds, double OverlapSeconds);

/// <summary>A parsed manifest.</summary>
public sealed record Manifest(string Schema, string JobId, string Model, IReadOnlyList<ManifestItem> Items);

/// <summary>Result of parsing: the manifest when valid, and every error.</summary>
public sealed record ManifestParseResult(Manifest? Manifest, IReadOnlyList<ManifestError> Errors)
{
    public bool IsValid => Errors.Count == 0 && Manifest is not null;
}

/// <summary>Interim minimal manifest reader.</summary>
public static class ManifestReader
{
    public static ManifestParseResult Parse(string json, ManifestLimits? limits = null)
    {
        limits ??= ManifestLimits.Default;
        var errors = new List<ManifestError>();
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json); }
        catch (JsonException ex) { return new(null, [new("$", $"The manifest is not valid JSON: {ex.Message}")]); }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return new(null, [new("$", "The manifest must be a JSON object.")]);
            Known(root, "$", errors, "schema", "jobId", "model", "defaults", "items");
            var schema = Str(root, "schema", "$", errors);
            if (schema is not null && schema != "samaudio.manifest/v1") errors.Add(new("$.schema", "Unknown schema."));
            var jobId = Str(root, "jobId", "$", errors);
            if (jobId is not null && (jobId.Length > 64 || !jobId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
                errors.Add(new("$.jobId", "jobId may hold only letters, digits, '-', '_' and '.' (64 at most)."));
            var model = Str(root, "model", "$", errors);
            var defPrompts = new List<PromptSpec>();
            var defOutput = OutputMode.Target;
            double seg = 10, ovl = 2;
            if (root.TryGetProperty("defaults", out var d))
            {
                Known(d, "$.defaults", errors, "prompts", "output", "segmentSeconds", "overlapSeconds");
                if (d.TryGetProperty("output", out var o)) defOutput = Mode(o, "$.defaults.output", errors);
                if (d.TryGetProperty("segmentSeconds", out var s)) seg = s.GetDouble();
                if (d.TryGetProperty("overlapSeconds", out var v)) ovl = v.GetDouble();
                if (d.TryGetProperty("prompts", out var p)) defPrompts = Prompts(p, "$.defaults.prompts", defOutput, limits, errors);
            }
            var items = new List<ManifestItem>();
            if (!root.TryGetProperty("items", out var arr) || arr.ValueKind != JsonValueKind.Array || arr.GetArrayLength() == 0)
                errors.Add(new("$.items", "items must be a non-empty array."));
            else if (arr.GetArrayLength() > limits.MaxItems)
                errors.Add(new("$.items", $"At most {limits.MaxItems} items are allowed."));
            else
            {
                var i = 0;
                foreach (var it in arr.EnumerateArray())
                {
                    var path = $"$.items[{i++}]";
                    Known(it, path, errors, "id", "recording", "sha256", "prompts", "start", "end", "channel");
                    var id = Str(it, "id", path, errors) ?? "";
                    var rec = Str(it, "recording", path, errors) ?? "";
                    if (rec.StartsWith('/') || rec.Contains("..", StringComparison.Ordinal) || rec.Contains("://", StringComparison.Ordinal))
                        errors.Add(new($"{path}.recording", "recording must be a relative path inside the manifest's folder."));
                    var prompts = it.TryGetProperty("prompts", out var p) ? Prompts(p, $"{path}.prompts", defOutput, limits, errors) : defPrompts;
                    if (prompts.Count == 0) errors.Add(new($"{path}.prompts", "At least one prompt is required."));
                    TimeSpan? start = it.TryGetProperty("start", out var st) ? TimeSpan.Parse(st.GetString()!) : null;
                    TimeSpan? end = it.TryGetProperty("end", out var en) ? TimeSpan.Parse(en.GetString()!) : null;
                    var ch = it.TryGetProperty("channel", out var c) ? c.GetString() ?? "mix" : "mix";
                    var sha = it.TryGetProperty("sha256", out var h) ? h.GetString() : null;
                    items.Add(new(id, rec, sha, prompts, start, end, new ChannelSelection(ch), seg, ovl));
                }
            }
            return errors.Count == 0 ? new(new Manifest(schema!, jobId!, model!, items), errors) : new(null, errors);
        }
    }

    private static void Known(JsonElement e, string path, List<ManifestError> errors, params string[] names)
    {
        if (e.ValueKind != JsonValueKind.Object) { errors.Add(new(path, "Expected an object.")); return; }
        foreach (var p in e.EnumerateObject())
            if (!names.Contains(p.Name)) errors.Add(new($"{path}.{p.Name}", $"Unknown field '{p.Name}'."));
    }

    private static string? Str(JsonElement e, string name, string path, List<ManifestError> errors)
    {
        if (e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString()!.Length > 0)
            return v.GetString();
        errors.Add(new($"{path}.{name}", $"{name} is required and must be a non-empty string."));
        return null;
    }

    private static OutputMode Mode(JsonElement e, string path, List<ManifestError> errors)
    {
        switch (e.GetString())
        {
            case "target": return OutputMode.Target;
            case "residual": return OutputMode.Residual;
            case "both": return OutputMode.Both;
            default: errors.Add(new(path, "output must be target, residual or both.")); return OutputMode.Target;
        }
    }

    private static List<PromptSpec> Prompts(JsonElement e, string path, OutputMode def, ManifestLimits limits, List<ManifestError> errors)
    {
        var list = new List<PromptSpec>();
        if (e.ValueKind != JsonValueKind.Array) { errors.Add(new(path, "prompts must be an array.")); return list; }
        if (e.GetArrayLength() > limits.MaxPromptsPerItem) errors.Add(new(path, $"At most {limits.MaxPromptsPerItem} prompts."));
        var i = 0;
        foreach (var p in e.EnumerateArray())
        {
            var pp = $"{path}[{i++}]";
            var spec = p.ValueKind == JsonValueKind.String ? new PromptSpec(p.GetString()!, def)
                : p.ValueKind == JsonValueKind.Object && p.TryGetProperty("text", out var t)
                    ? new PromptSpec(t.GetString() ?? "", p.TryGetProperty("output", out var o) ? Mode(o, pp + ".output", errors) : def)
                    : null;
            if (spec is null || spec.Text.Length == 0) errors.Add(new(pp, "A prompt is a non-empty string or an object with text."));
            else if (spec.Text.Length > limits.MaxPromptLength) errors.Add(new(pp, $"A prompt has at most {limits.MaxPromptLength} characters."));
            else list.Add(spec);
        }
        return list;
    }
}
