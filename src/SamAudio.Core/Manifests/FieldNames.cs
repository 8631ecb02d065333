namespace SamAudio.Core.Manifests;

/// <summary>The fields each manifest object may have, in the order the reference documents them.</summary>
internal static class FieldNames
{
    public static readonly string[] Top = ["schema", "jobId", "model", "defaults", "items"];

    public static readonly string[] Defaults =
        ["prompts", "output", "channel", "segmentSeconds", "overlapSeconds", "purpose", "faithful", "background", "nonFinite", "seed", "steps"];

    public static readonly string[] Item =
        ["id", "recording", "sha256", "prompts", "output", "start", "end", "channel", "segmentSeconds", "overlapSeconds", "purpose", "faithful", "background", "nonFinite", "seed", "steps"];

    public static readonly string[] Prompt = ["text", "output", "present", "absent"];

    /// <summary>" (did you mean 'x'?)" when <paramref name="name"/> is a likely typo of an allowed name, else "".</summary>
    public static string Suggest(string name, IReadOnlyList<string> allowed)
    {
        foreach (var candidate in allowed)
        {
            if (string.Equals(candidate, name, StringComparison.OrdinalIgnoreCase)
                || (name.Length >= 4 && Distance(candidate.ToLowerInvariant(), name.ToLowerInvariant()) <= 2))
            {
                return $" (did you mean '{candidate}'?)";
            }
        }

        return "";
    }

    // Levenshtein distance; the names compared are a few characters long.
    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
