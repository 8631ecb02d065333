using System.Text.Json;
using SamAudio.Core.Audio;

namespace SamAudio.Core.Manifests;

/// <summary>
/// Validates one entry of <c>items</c> and applies the manifest's defaults to it. Reports every problem of the
/// item; returns the item only when it has none.
/// </summary>
internal sealed class ItemValidator(ManifestLimits limits, ItemDefaults defaults, ErrorList errors)
{
    private const string ItemsPath = "$.items";

    // Item ids name output folders, so they must differ even on case-insensitive file systems.
    private readonly Dictionary<string, (int Index, string Id)> ids = new(StringComparer.OrdinalIgnoreCase);

    public ManifestItem? Read(JsonElement element, int index)
    {
        string path = JsonPath.Index(ItemsPath, index);
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(path, $"items[{index}] must be an object {{ \"id\", \"recording\", ... }}, not {FieldReader.Describe(element.ValueKind)}");
            return null;
        }

        int before = errors.Count;
        var fields = new FieldReader(element, path, Where(element, index), FieldNames.Item, errors);
        string? id = ReadId(fields, index);
        string? recording = ReadRecording(fields);
        string? sha256 = ManifestValues.Sha256(fields);
        bool promptsOk = PromptListReader.TryRead(
            fields, limits, "list at least one prompt, or leave the field out to use defaults.prompts", spansAllowed: true, out var own);
        OutputMode? output = ManifestValues.Output(fields);
        TimeSpan? start = ManifestValues.Time(fields, "start");
        TimeSpan? end = ManifestValues.Time(fields, "end");
        ChannelSelection? channel = ManifestValues.Channel(fields);
        double? segment = ManifestValues.Segment(fields, limits);
        double? overlap = ManifestValues.Overlap(fields);
        ItemPurpose? purpose = ManifestValues.Purpose(fields);
        bool? faithful = ManifestValues.Faithful(fields);
        bool? background = ManifestValues.SuppressBackground(fields);
        NonFiniteSamples? nonFinite = ManifestValues.NonFinite(fields);
        int? seed = ManifestValues.Seed(fields);
        int? steps = ManifestValues.Steps(fields);
        CheckForensic(fields, purpose, nonFinite);
        CheckForensicFaithful(fields, purpose, faithful);

        var drafts = own ?? defaults.Prompts;
        if (promptsOk && drafts is null && !fields.Has("prompts") && !defaults.PromptsUnusable)
        {
            fields.Report("prompts", "'prompts' is required because defaults has no prompts; list what to isolate, e.g. [\"owl hooting\"]");
        }

        CheckRange(fields, start, end);
        foreach (var draft in own ?? [])
        {
            PromptSpanReader.CheckRange(errors, draft.Path, $"{fields.Where} prompts", draft.Spans, start, end);
        }
        var (segmentSeconds, overlapSeconds) = Windowing(fields, segment, overlap);
        if (errors.Count != before || drafts is null)
        {
            return null;
        }

        var texts = drafts.Select(d => d.Text).ToArray();
        var slugs = PromptSlug.Assign(texts);
        var prompts = drafts
            .Select((d, i) => new PromptSpec(d.Text, d.Output ?? output ?? defaults.Output ?? OutputMode.Target)
            {
                Slug = slugs[i],
                Spans = d.Spans.Count > 0 ? d.Spans : null,
            })
            .ToArray();
        return new ManifestItem(
            id!, recording!, sha256, prompts, start, end, channel ?? defaults.Channel ?? ChannelSelection.Mix, segmentSeconds, overlapSeconds)
        {
            Index = index,
            Purpose = purpose ?? defaults.Purpose ?? ItemPurpose.General,
            Faithful = faithful ?? defaults.Faithful ?? (purpose ?? defaults.Purpose) == ItemPurpose.Forensic,
            SuppressBackground = background ?? defaults.SuppressBackground ?? false,
            NonFinite = nonFinite ?? defaults.NonFinite ?? NonFiniteSamples.Fail,
            Seed = seed ?? defaults.Seed,
            Steps = steps ?? defaults.Steps,
        };
    }

    /// <summary>
    /// A forensic item may not replace samples. Reported where the item says so: its own nonFinite, else its own
    /// purpose (a forensic defaults block with "zero" is reported once, at defaults).
    /// </summary>
    private void CheckForensic(FieldReader fields, ItemPurpose? purpose, NonFiniteSamples? nonFinite)
    {
        bool forensic = (purpose ?? defaults.Purpose) == ItemPurpose.Forensic;
        bool zero = (nonFinite ?? defaults.NonFinite) == NonFiniteSamples.Zero;
        if (!forensic || !zero || (purpose is null && nonFinite is null))
        {
            return;
        }

        fields.Report(nonFinite is not null ? "nonFinite" : "purpose", ManifestValues.ForensicNonFinite);
    }

    /// <summary>
    /// A forensic item is faithful. Reported where the item says otherwise: its own faithful, else its own purpose (a
    /// forensic defaults block with faithful false is reported once, at defaults).
    /// </summary>
    private void CheckForensicFaithful(FieldReader fields, ItemPurpose? purpose, bool? faithful)
    {
        bool forensic = (purpose ?? defaults.Purpose) == ItemPurpose.Forensic;
        bool direct = (faithful ?? defaults.Faithful) == false;
        if (!forensic || !direct || (purpose is null && faithful is null))
        {
            return;
        }

        fields.Report(faithful is not null ? "faithful" : "purpose", ManifestValues.ForensicDirect);
    }

    private static string Where(JsonElement item, int index) =>
        item.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
            && id.GetString() is { } text && SafeId.Check(text) is null
            ? $"items[{index}] (id '{text}')"
            : $"items[{index}]";

    private string? ReadId(FieldReader fields, int index)
    {
        string? id = fields.String("id", required: true, "give each item a unique id such as \"site-a-night1\"");
        if (id is null)
        {
            return null;
        }

        if (SafeId.Check(id) is { } problem)
        {
            fields.Report("id", $"'id' {Shown.Quoted(id)} {problem}; {SafeId.Rule}");
            return null;
        }

        if (!ids.TryAdd(id, (index, id)))
        {
            var first = ids[id];
            fields.Report("id", $"'id' '{id}' is already used by items[{first.Index}] (id '{first.Id}'); item ids name output folders, so make them unique (ignoring case)");
            return null;
        }

        return id;
    }

    private string? ReadRecording(FieldReader fields)
    {
        string? recording = fields.String("recording", required: true, "give the recording's path relative to the manifest's folder, e.g. \"site-a/night1.wav\"");
        if (recording is not null && ManifestPaths.Validate(recording, limits.MaxRecordingPathLength) is { } problem)
        {
            fields.Report("recording", $"'recording' {Shown.Quoted(recording)} {problem}");
            return null;
        }

        return recording;
    }

    private static void CheckRange(FieldReader fields, TimeSpan? start, TimeSpan? end)
    {
        if (end is not { } e || e > (start ?? TimeSpan.Zero))
        {
            return;
        }

        string sentence = start is { } s
            ? $"'end' {ManifestTime.Format(e)} is {(e == s ? "equal to" : "before")} 'start' {ManifestTime.Format(s)}; make end later than start"
            : "'end' 00:00:00 leaves nothing to process; make end later than the start of the recording";
        fields.Report("end", sentence);
    }

    /// <summary>
    /// The item's windows where it or <c>defaults</c> sets them (null otherwise: the model pack's preference applies at
    /// run time). The overlap limit is checked here when both values are known; an overlap set without a window is
    /// checked against the pack's window where the pack is known (ingestion, the run).
    /// </summary>
    private (double? Segment, double? Overlap) Windowing(FieldReader fields, double? segment, double? overlap)
    {
        double? seg = segment ?? defaults.Segment;
        double? lap = overlap ?? defaults.Overlap;
        if (seg is not { } s || lap is not { } l || l <= s / 2 || (segment is null && overlap is null))
        {
            return (seg, lap);
        }

        string segText = ManifestValues.Show(s);
        string lapText = ManifestValues.Show(l);
        if (overlap is not null)
        {
            fields.Report("overlapSeconds", $"'overlapSeconds' {lapText} is more than half of segmentSeconds {segText}; use at most {ManifestValues.Show(s / 2)}");
        }
        else
        {
            fields.Report("segmentSeconds", $"'segmentSeconds' {segText} is shorter than twice defaults.overlapSeconds {lapText}; use at least {ManifestValues.Show(l * 2)} or set overlapSeconds on this item");
        }

        return (seg, lap);
    }
}
