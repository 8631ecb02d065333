using System.Text.Json;

namespace SamAudio.Core.Evaluation;

/// <summary>
/// An evaluation file (<c>samaudio.eval/v1</c>): items naming a <c>mixture</c>, a <c>prompt</c>, the
/// <c>reference</c> the prompt should isolate (a silent reference for a sound that is absent) and optionally a
/// <c>class</c>; paths are relative to the evaluation file.
/// </summary>
public sealed record EvalSet(string Folder, IReadOnlyList<EvalItem> Items)
{
    /// <summary>Reads and checks an evaluation file; every problem is reported at once with its JSON path.</summary>
    public static EvalSet Read(string path)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var problems = new List<string>();
        var items = new List<EvalItem>();
        if (!doc.RootElement.TryGetProperty("items", out var array) || array.ValueKind != JsonValueKind.Array || array.GetArrayLength() == 0)
        {
            throw new InvalidDataException($"{path}: $.items must be a non-empty array of {{mixture, prompt, reference, class}}.");
        }

        int i = 0;
        foreach (var element in array.EnumerateArray())
        {
            string? Field(string name, bool required)
            {
                if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString()!.Length > 0)
                {
                    return v.GetString();
                }

                if (required)
                {
                    problems.Add($"$.items[{i}].{name}: required text is missing");
                }

                return null;
            }

            string? mixture = Field("mixture", true), prompt = Field("prompt", true), reference = Field("reference", true);
            string? cls = Field("class", false);
            if (mixture is not null && prompt is not null && reference is not null)
            {
                items.Add(new EvalItem(i, Path.GetFullPath(mixture, folder), prompt, Path.GetFullPath(reference, folder), cls ?? prompt));
            }

            i++;
        }

        return problems.Count == 0
            ? new EvalSet(folder, items)
            : throw new InvalidDataException($"{path}: {string.Join("; ", problems)}");
    }
}

/// <summary>One evaluation item, with full paths.</summary>
public sealed record EvalItem(int Index, string Mixture, string Prompt, string Reference, string Class);
