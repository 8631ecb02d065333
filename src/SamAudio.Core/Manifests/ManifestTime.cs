using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace SamAudio.Core.Manifests;

/// <summary>
/// Times in a manifest (<c>start</c>, <c>end</c>): a string "hh:mm:ss" with an optional fraction of up to 7
/// digits ("01:02:03.250"), or a number of seconds. Never negative, at most <see cref="Max"/>.
/// </summary>
internal static partial class ManifestTime
{
    public static readonly TimeSpan Max = TimeSpan.FromDays(366);

    public const string Formats = "write \"hh:mm:ss\" (optionally \".fff\") or a number of seconds";

    /// <summary>Reads a time; on failure <paramref name="problem"/> is a fragment that follows the value.</summary>
    public static bool TryRead(JsonElement value, out TimeSpan time, out string problem)
    {
        time = default;
        problem = "";
        if (value.ValueKind == JsonValueKind.Number)
        {
            if (!value.TryGetDouble(out double seconds) || !double.IsFinite(seconds))
            {
                problem = $"{value.GetRawText()} is out of range; {Formats}";
            }
            else if (seconds < 0)
            {
                problem = $"{value.GetRawText()} is negative; times count from the start of the recording";
            }
            else if (seconds > Max.TotalSeconds)
            {
                problem = $"{value.GetRawText()} is beyond {Format(Max)}; {Formats}";
            }
            else
            {
                time = TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
            }

            return problem.Length == 0;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            problem = $"must be a time, not {FieldReader.Describe(value.ValueKind)}; {Formats}";
            return false;
        }

        string text = value.GetString()!;
        var match = Clock().Match(text);
        if (!match.Success)
        {
            problem = text.TrimStart().StartsWith('-')
                ? $"{Shown.Quoted(text)} is negative; times count from the start of the recording"
                : $"{Shown.Quoted(text)} is not a time; {Formats}, e.g. \"00:10:00\" or 600";
            return false;
        }

        long ticks = (long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) * 3600
                + (int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture) * 60)
                + int.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture)) * TimeSpan.TicksPerSecond;
        if (match.Groups[4].Success)
        {
            ticks += long.Parse(match.Groups[4].Value.PadRight(7, '0'), CultureInfo.InvariantCulture);
        }

        time = TimeSpan.FromTicks(ticks);
        if (time > Max)
        {
            problem = $"{Shown.Quoted(text)} is beyond {Format(Max)}; {Formats}";
            return false;
        }

        return true;
    }

    /// <summary>"hh:mm:ss" with the fraction only when there is one ("00:00:12.5").</summary>
    public static string Format(TimeSpan time)
    {
        string clock = string.Create(
            CultureInfo.InvariantCulture, $"{(long)time.TotalHours:00}:{time.Minutes:00}:{time.Seconds:00}");
        long fraction = time.Ticks % TimeSpan.TicksPerSecond;
        return fraction == 0
            ? clock
            : clock + "." + fraction.ToString("0000000", CultureInfo.InvariantCulture).TrimEnd('0');
    }

    [GeneratedRegex(@"^(\d{1,4}):([0-5]\d):([0-5]\d)(?:\.(\d{1,7}))?$", RegexOptions.CultureInvariant)]
    private static partial Regex Clock();
}
