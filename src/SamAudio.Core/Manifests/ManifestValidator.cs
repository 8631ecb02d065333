using System.Text.Json;
using SamAudio.Core.Audio;

namespace SamAudio.Core.Manifests;

/// <summary>
/// Walks a parsed manifest document: the top-level fields, <c>defaults</c> and every item, collecting every
/// problem rather than stopping at the first. Builds the <see cref="Manifest"/> only when there is none.
/// </summary>
internal sealed class ManifestValidator(ManifestLimits limits)
{
    private readonly ErrorList errors = new(limits.MaxErrors);

    public ManifestParseResult Validate(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors.Add(JsonPath.Root, $"manifest: the document must be a JSON object {{ \"schema\": \"{Manifest.SchemaV1}\", ... }}, not {FieldReader.Describe(root.ValueKind)}");
            return new ManifestParseResult(null, errors.ToList());
        }

        if (!UnicodeCheck.Passes(root, JsonPath.Root, errors))
        {
            return new ManifestParseResult(null, errors.ToList());
        }

        var fields = new FieldReader(root, JsonPath.Root, "manifest", FieldNames.Top, errors);
        string? schema = fields.String("schema", required: true, $"add \"schema\": \"{Manifest.SchemaV1}\"");
        if (schema is not null && schema != Manifest.SchemaV1)
        {
            fields.Report("schema", $"'schema' {Shown.Quoted(schema)} is not supported; this version reads \"{Manifest.SchemaV1}\"");
        }

        string? jobId = ReadId(fields, "jobId", required: true, "name the job, e.g. \"owl-survey-2026-05\"");
        string? model = ReadId(fields, "model", required: false, $"name a model pack, e.g. \"{Manifest.DefaultModel}\", or leave the field out");
        var defaults = ReadDefaults(fields);
        var items = ReadItems(fields, defaults);
        var manifest = errors.Count == 0
            ? new Manifest(schema!, jobId!, model ?? Manifest.DefaultModel, items!.ToArray())
            : null;
        return new ManifestParseResult(manifest, errors.ToList());
    }

    private static string? ReadId(FieldReader fields, string name, bool required, string howTo)
    {
        string? id = fields.String(name, required, howTo);
        if (id is not null && SafeId.Check(id) is { } problem)
        {
            fields.Report(name, $"'{name}' {Shown.Quoted(id)} {problem}; {SafeId.Rule}");
            return null;
        }

        return id;
    }

    private ItemDefaults ReadDefaults(FieldReader top)
    {
        if (!top.TryGet("defaults", JsonValueKind.Object, required: false, "write an object such as { \"prompts\": [\"wind noise\"] }", out var element))
        {
            return top.Has("defaults") ? ItemDefaults.None with { PromptsUnusable = true } : ItemDefaults.None;
        }

        var fields = new FieldReader(element, top.PathOf("defaults"), "defaults", FieldNames.Defaults, errors);
        bool promptsOk = PromptListReader.TryRead(
            fields, limits, "list at least one prompt, or leave the field out", spansAllowed: false, out var prompts);
        var output = ManifestValues.Output(fields);
        var channel = ManifestValues.Channel(fields);
        double? segment = ManifestValues.Segment(fields, limits);
        double? overlap = ManifestValues.Overlap(fields);
        var purpose = ManifestValues.Purpose(fields);
        var faithful = ManifestValues.Faithful(fields);
        var background = ManifestValues.SuppressBackground(fields);
        var nonFinite = ManifestValues.NonFinite(fields);
        int? seed = ManifestValues.Seed(fields);
        int? steps = ManifestValues.Steps(fields);
        if (purpose == ItemPurpose.Forensic && nonFinite == NonFiniteSamples.Zero)
        {
            fields.Report("nonFinite", ManifestValues.ForensicNonFinite);
            nonFinite = null;
        }

        if (purpose == ItemPurpose.Forensic && faithful == false)
        {
            fields.Report("faithful", ManifestValues.ForensicDirect);
            faithful = null;
        }

        if (segment is { } seg && overlap is { } lap && lap > seg / 2)
        {
            fields.Report("overlapSeconds", $"'overlapSeconds' {ManifestValues.Show(lap)} is more than half of segmentSeconds {ManifestValues.Show(seg)}; use at most {ManifestValues.Show(seg / 2)}");
            overlap = null;
        }

        return new ItemDefaults(promptsOk ? prompts : null, !promptsOk, output, channel, segment, overlap, purpose, nonFinite, seed, steps, faithful, background);
    }

    private List<ManifestItem>? ReadItems(FieldReader top, ItemDefaults defaults)
    {
        if (!top.TryGet("items", JsonValueKind.Array, required: true, "list the recordings to process, e.g. [{ \"id\": \"site-a\", \"recording\": \"site-a.wav\" }]", out var array))
        {
            return null;
        }

        int count = array.GetArrayLength();
        if (count == 0)
        {
            top.Report("items", "'items' is empty; add at least one item");
        }
        else if (count > limits.MaxItems)
        {
            top.Report("items", $"'items' has {count} items; use at most {limits.MaxItems} per manifest (split the job into several manifests)");
        }

        var validator = new ItemValidator(limits, defaults, errors);
        var items = new List<ManifestItem>(Math.Min(count, limits.MaxItems));
        int index = 0;
        foreach (var element in array.EnumerateArray())
        {
            if (validator.Read(element, index++) is { } item)
            {
                items.Add(item);
            }
        }

        return items;
    }
}
