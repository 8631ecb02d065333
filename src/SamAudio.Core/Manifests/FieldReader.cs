using System.Text.Json;

namespace SamAudio.Core.Manifests;

/// <summary>
/// Reads the fields of one JSON object of a manifest: reports unknown and repeated fields on construction, then
/// hands out typed values, reporting missing fields and wrong JSON types at the field's path.
/// Every message starts with <see cref="Where"/> ("items[2] (id 'site-b')").
/// </summary>
internal sealed class FieldReader
{
    private readonly Dictionary<string, JsonElement> fields = new(StringComparer.Ordinal);

    public FieldReader(JsonElement obj, string path, string where, IReadOnlyList<string> allowed, ErrorList errors)
    {
        Path = path;
        Where = where;
        Errors = errors;
        foreach (var property in obj.EnumerateObject())
        {
            string name = property.Name;
            if (!allowed.Contains(name))
            {
                Report(name, $"unknown field '{name}'{FieldNames.Suggest(name, allowed)}; the allowed fields are {string.Join(", ", allowed)}");
            }
            else if (!fields.TryAdd(name, property.Value))
            {
                Report(name, $"'{name}' appears more than once; keep exactly one");
            }
        }
    }

    public string Path { get; }

    public string Where { get; }

    public ErrorList Errors { get; }

    public bool Has(string name) => fields.ContainsKey(name);

    public string PathOf(string name) => JsonPath.Property(Path, name);

    /// <summary>Adds an error at the field's path; <paramref name="sentence"/> follows "where: ".</summary>
    public void Report(string name, string sentence) => Errors.Add(PathOf(name), $"{Where}: {sentence}");

    /// <summary>The field's value, whatever its kind, when present.</summary>
    public bool TryGetAny(string name, out JsonElement value) => fields.TryGetValue(name, out value);

    /// <summary>The field's value when present with the expected kind; reports a missing required field or a wrong kind.</summary>
    public bool TryGet(string name, JsonValueKind kind, bool required, string howToFix, out JsonElement value)
    {
        if (!fields.TryGetValue(name, out value))
        {
            if (required)
            {
                Report(name, $"'{name}' is required; {howToFix}");
            }

            return false;
        }

        if (value.ValueKind != kind)
        {
            Report(name, $"'{name}' must be {Describe(kind)}, not {Describe(value.ValueKind)}; {howToFix}");
            return false;
        }

        return true;
    }

    /// <summary>The field's string value, or null when it is absent or not a string (reported).</summary>
    public string? String(string name, bool required, string howToFix) =>
        TryGet(name, JsonValueKind.String, required, howToFix, out var value) ? value.GetString() : null;

    /// <summary>The field's finite number, or null when it is absent or not a finite number (reported).</summary>
    public double? Number(string name, string howToFix)
    {
        if (!TryGet(name, JsonValueKind.Number, required: false, howToFix, out var value))
        {
            return null;
        }

        if (value.TryGetDouble(out double number) && double.IsFinite(number))
        {
            return number;
        }

        Report(name, $"'{name}' {value.GetRawText()} is out of range; {howToFix}");
        return null;
    }

    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "true or false",
        JsonValueKind.Null => "null",
        _ => "missing",
    };
}
