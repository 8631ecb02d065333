using System.Text.Json;

namespace SamAudio.Core.Evaluation;

/// <summary>
/// An evaluation file (<c>samaudio.eval/v1</c>): items naming a <c>mixture</c>, a <c>prompt</c>, the
/// <c>reference</c> the prompt should isolate (a silent reference for a sound that is absent) and optionally a
/// <c>class</c>; paths are relative to the evaluation file. A soundscape item also names an <c>events</c> file
/// (<see cref="SoundEvent.ReadCsv"/>): it is then scored over the spans of its class's events, and needs no
/// <c>reference</c> when the events file holds none of its class (a prompt of an absent sound).
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

            string? events = Field("events", false);
            string? mixture = Field("mixture", true), prompt = Field("prompt", true), reference = Field("reference", events is null);
            string? cls = Field("class", false);
            if (mixture is not null && prompt is not null && (reference is not null || events is not null))
            {
                items.Add(new EvalItem(i, Path.GetFullPath(mixture, folder), prompt, reference is null ? null : Path.GetFullPath(reference, folder), cls ?? prompt)
                {
                    Events = events is null ? null : Path.GetFullPath(events, folder),
                });
            }

            i++;
        }

        return problems.Count == 0
            ? new EvalSet(folder, items)
            : throw new InvalidDataException($"{path}: {string.Join("; ", problems)}");
    }
}

/// <summary>One evaluation item, with full paths; <see cref="Reference"/> is null only for a soundscape item.</summary>
public sealed record EvalItem(int Index, string Mixture, string Prompt, string? Reference, string Class)
{
    /// <summary>The soundscape's events file, or null for an item scored over its whole length.</summary>
    public string? Events { get; init; }
}
