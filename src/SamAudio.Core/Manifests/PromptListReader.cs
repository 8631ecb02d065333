using System.Text.Json;
using SamAudio.Core.Separation;

namespace SamAudio.Core.Manifests;

/// <summary>A normalised prompt before defaults are applied; <see cref="Output"/> is null when it inherits one.</summary>
/// <param name="Text">The normalised text.</param>
/// <param name="Output">The prompt's own output, or null.</param>
/// <param name="Spans">Its present/absent spans (empty for none).</param>
/// <param name="Path">The prompt's JSON path, where its spans' range problems are reported.</param>
internal sealed record PromptDraft(string Text, OutputMode? Output, IReadOnlyList<PromptSpan> Spans, string Path);

/// <summary>
/// Reads a <c>prompts</c> array (strings or <c>{ "text", "output" }</c> objects): normalises each text and
/// reports empty, too long, repeated and badly typed prompts and lists over the limit, each at its own path.
/// </summary>
internal static class PromptListReader
{
    /// <summary>
    /// False when the field is present and has a problem (reported). True otherwise, with
    /// <paramref name="prompts"/> null when the field is absent.
    /// </summary>
    /// <remarks><paramref name="spansAllowed"/> is false for <c>defaults.prompts</c>: spans are times of one recording.</remarks>
    public static bool TryRead(FieldReader fields, ManifestLimits limits, string emptyHint, bool spansAllowed, out IReadOnlyList<PromptDraft>? prompts)
    {
        prompts = null;
        const string name = "prompts";
        const string howTo = "list prompts such as [\"owl hooting\", { \"text\": \"rain\", \"output\": \"both\" }]";
        if (!fields.TryGet(name, JsonValueKind.Array, required: false, howTo, out var array))
        {
            return !fields.Has(name);
        }

        int before = fields.Errors.Count;
        int count = array.GetArrayLength();
        if (count == 0)
        {
            fields.Report(name, $"'prompts' is empty; {emptyHint}");
        }
        else if (count > limits.MaxPromptsPerItem)
        {
            fields.Report(name, $"'prompts' has {count} prompts; use at most {limits.MaxPromptsPerItem} per item (split the item or the job)");
        }

        var drafts = new List<PromptDraft>(count);
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        int index = 0;
        foreach (var element in array.EnumerateArray())
        {
            if (Read(fields, element, index, limits, spansAllowed, out var draft, out string textPath))
            {
                if (seen.TryGetValue(draft.Text, out int first))
                {
                    fields.Errors.Add(textPath, $"{fields.Where}: prompts[{index}] {Shown.Quoted(draft.Text)} repeats prompts[{first}] (ignoring case and spaces); remove the duplicate");
                }
                else
                {
                    seen.Add(draft.Text, index);
                    drafts.Add(draft);
                }
            }

            index++;
        }

        int spans = drafts.Sum(d => d.Spans.Count);
        if (spans > limits.MaxSpansPerItem)
        {
            fields.Report(name, $"'prompts' has {spans} present/absent spans in all; use at most {limits.MaxSpansPerItem} per item (merge neighbouring spans or split the item)");
        }

        prompts = drafts;
        return fields.Errors.Count == before;
    }

    private static bool Read(FieldReader fields, JsonElement element, int index, ManifestLimits limits, bool spansAllowed, out PromptDraft draft, out string textPath)
    {
        draft = null!;
        string path = JsonPath.Index(fields.PathOf("prompts"), index);
        string where = $"{fields.Where}: prompts[{index}]";
        textPath = path;
        string? raw;
        OutputMode? output = null;
        IReadOnlyList<PromptSpan>? spans = [];
        if (element.ValueKind == JsonValueKind.String)
        {
            raw = element.GetString();
        }
        else if (element.ValueKind == JsonValueKind.Object)
        {
            var prompt = new FieldReader(element, path, $"{fields.Where} prompts[{index}]", FieldNames.Prompt, fields.Errors);
            raw = prompt.String("text", required: true, "write what to isolate, e.g. { \"text\": \"owl hooting\" }");
            output = ManifestValues.Output(prompt);
            if (!spansAllowed && PromptSpanReader.Fields.FirstOrDefault(prompt.Has) is { } field)
            {
                prompt.Report(field, $"'{field}' is not allowed in defaults.prompts: spans are times of one recording; give them in the item's own prompts");
                spans = null;
            }
            else
            {
                spans = PromptSpanReader.Read(prompt);
            }

            textPath = prompt.PathOf("text");
            where = $"{prompt.Where}: 'text'";
            if (raw is null || (prompt.Has("output") && output is null) || spans is null)
            {
                return false;
            }
        }
        else
        {
            fields.Errors.Add(path, $"{where} must be a string or an object {{ \"text\", \"output\" }}, not {FieldReader.Describe(element.ValueKind)}");
            return false;
        }

        string text = PromptText.Normalize(raw!);
        string? problem = text.Length == 0 ? "is empty; write what to isolate, e.g. \"owl hooting\""
            : PromptText.FirstControl(text) is { } c ? $"contains the control character {SafeId.Show(c)}; remove it"
            : PromptText.Length(text) > limits.MaxPromptLength
                ? $"is {PromptText.Length(text)} characters long; use at most {limits.MaxPromptLength}"
                : null;
        if (problem is not null)
        {
            fields.Errors.Add(textPath, $"{where} {problem}");
            return false;
        }

        draft = new PromptDraft(text, output, spans, path);
        return true;
    }
}
