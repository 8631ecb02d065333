using System.Globalization;
using System.Text.Json;
using SamAudio.Core.Separation;

namespace SamAudio.Core.Manifests;

/// <summary>
/// Reads a prompt object's <c>present</c> and <c>absent</c> lists of <c>[start, end]</c> pairs in seconds of recording
/// time (SAM-Audio's <c>"+"</c> / <c>"-"</c> anchors). Reports a pair that is not two non-negative numbers with start
/// before end, and a present span overlapping an absent one, each at its own path. The item's range is checked by
/// <see cref="CheckRange"/> once the item's start and end are known.
/// </summary>
internal static class PromptSpanReader
{
    public static readonly string[] Fields = ["present", "absent"];

    private const string HowTo = "write [[start, end], ...] in seconds of the recording, e.g. [[12.5, 14]]";

    /// <summary>The prompt's spans in manifest order (present first), or null when one is malformed (reported).</summary>
    public static IReadOnlyList<PromptSpan>? Read(FieldReader prompt)
    {
        var spans = new List<PromptSpan>();
        bool ok = true;
        foreach (string name in Fields)
        {
            if (!prompt.TryGet(name, JsonValueKind.Array, required: false, HowTo, out var list))
            {
                ok &= !prompt.Has(name);
                continue;
            }

            int index = 0;
            foreach (var pair in list.EnumerateArray())
            {
                string path = JsonPath.Index(prompt.PathOf(name), index);
                string where = $"{prompt.Where}: '{name}'[{index}]";
                if (pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() != 2
                    || pair[0].ValueKind != JsonValueKind.Number || pair[1].ValueKind != JsonValueKind.Number
                    || !pair[0].TryGetDouble(out double start) || !pair[1].TryGetDouble(out double end)
                    || !double.IsFinite(start) || !double.IsFinite(end))
                {
                    prompt.Errors.Add(path, $"{where} must be [start, end], two numbers of seconds, not {pair.GetRawText()}; {HowTo}");
                    ok = false;
                }
                else if (start < 0 || start >= end)
                {
                    prompt.Errors.Add(path, $"{where} [{Show(start)}, {Show(end)}] must have 0 <= start < end (seconds of the recording)");
                    ok = false;
                }
                else
                {
                    spans.Add(new PromptSpan(start, end, name == "present"));
                }

                index++;
            }
        }

        if (!ok)
        {
            return null;
        }

        foreach (var present in spans.Where(s => s.Present))
        {
            foreach (var absent in spans.Where(s => !s.Present && s.Start < present.End && present.Start < s.End))
            {
                prompt.Report("absent", $"'present' [{Show(present.Start)}, {Show(present.End)}] overlaps 'absent' [{Show(absent.Start)}, {Show(absent.End)}]; " +
                    "a sound cannot be both present and absent at once, so shorten one of them");
                return null;
            }
        }

        return spans;
    }

    /// <summary>Reports every span of <paramref name="spans"/> outside the item's range [start, end).</summary>
    public static void CheckRange(ErrorList errors, string promptPath, string where, IReadOnlyList<PromptSpan> spans, TimeSpan? start, TimeSpan? end)
    {
        double from = start?.TotalSeconds ?? 0, to = end?.TotalSeconds ?? double.PositiveInfinity;
        int[] index = [0, 0];
        foreach (var span in spans)
        {
            string name = span.Present ? "present" : "absent";
            int i = index[span.Present ? 0 : 1]++;
            if (span.Start < from || span.End > to)
            {
                errors.Add(JsonPath.Index(JsonPath.Property(promptPath, name), i),
                    $"{where}: '{name}'[{i}] [{Show(span.Start)}, {Show(span.End)}] is outside the item's range " +
                    $"{ManifestTime.Format(TimeSpan.FromSeconds(from))} to {(end is { } e ? ManifestTime.Format(e) : "the end")}; spans are seconds of the whole recording and must lie within start and end");
            }
        }
    }

    private static string Show(double seconds) => seconds.ToString("R", CultureInfo.InvariantCulture);
}
