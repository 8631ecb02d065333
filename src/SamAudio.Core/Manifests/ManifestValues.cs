using System.Globalization;
using System.Text.Json;
using SamAudio.Core.Audio;
using SamAudio.Core.Separation;

namespace SamAudio.Core.Manifests;

/// <summary>Reads the typed fields shared by items, defaults and prompts, reporting every problem at the field's path.</summary>
internal static class ManifestValues
{
    public const int MaxChannel = 65534;

    private const string OutputHowTo = "use \"target\", \"residual\" or \"both\"";
    private const string ChannelHowTo = "use \"mix\" or a channel index such as 0";

    public static OutputMode? Output(FieldReader fields, string name = "output")
    {
        string? text = fields.String(name, required: false, OutputHowTo);
        switch (text)
        {
            case null: return null;
            case "target": return OutputMode.Target;
            case "residual": return OutputMode.Residual;
            case "both": return OutputMode.Both;
        }

        string hint = text.ToLowerInvariant() is "target" or "residual" or "both"
            ? $"write \"{text.ToLowerInvariant()}\" in lower case"
            : OutputHowTo;
        fields.Report(name, $"'{name}' {Shown.Quoted(text)} is not an output mode; {hint}");
        return null;
    }

    public static ChannelSelection? Channel(FieldReader fields)
    {
        const string name = "channel";
        if (!fields.TryGetAny(name, out var value))
        {
            return null;
        }

        string problem;
        if (value.ValueKind == JsonValueKind.String)
        {
            string text = value.GetString()!;
            if (text == "mix")
            {
                return ChannelSelection.Mix;
            }

            if (text.Length is > 0 and <= 5 && text.All(char.IsAsciiDigit)
                && int.Parse(text, CultureInfo.InvariantCulture) is var index and <= MaxChannel)
            {
                return ChannelSelection.Index(index);
            }

            problem = text.Equals("mix", StringComparison.OrdinalIgnoreCase)
                ? $"'{name}' {Shown.Quoted(text)} must be written \"mix\" in lower case"
                : $"'{name}' {Shown.Quoted(text)} is not a channel";
        }
        else if (value.ValueKind == JsonValueKind.Number)
        {
            if (value.TryGetInt32(out int index) && index is >= 0 and <= MaxChannel)
            {
                return ChannelSelection.Index(index);
            }

            problem = $"'{name}' {value.GetRawText()} is not a channel";
        }
        else
        {
            problem = $"'{name}' must be \"mix\" or a number, not {FieldReader.Describe(value.ValueKind)}";
        }

        fields.Report(name, $"{problem}; {ChannelHowTo} (channels count from 0, at most {MaxChannel})");
        return null;
    }

    public static string? Sha256(FieldReader fields)
    {
        const string name = "sha256";
        const string howTo = "give the 64 hex digits printed by sha256sum, or leave the field out";
        string? text = fields.String(name, required: false, howTo);
        if (text is null)
        {
            return null;
        }

        if (text.Length == 64 && text.All(char.IsAsciiHexDigit))
        {
            return text.ToLowerInvariant();
        }

        fields.Report(name, $"'{name}' is not a SHA-256 hash ({text.Length} characters); {howTo}");
        return null;
    }

    public static TimeSpan? Time(FieldReader fields, string name)
    {
        if (!fields.TryGetAny(name, out var value))
        {
            return null;
        }

        if (ManifestTime.TryRead(value, out var time, out string problem))
        {
            return time;
        }

        fields.Report(name, $"'{name}' {problem}");
        return null;
    }

    public static double? Segment(FieldReader fields, ManifestLimits limits)
    {
        const string name = "segmentSeconds";
        string howTo = $"use a number of seconds from {Show(limits.MinSegmentSeconds)} to {Show(limits.MaxSegmentSeconds)}";
        double? seconds = fields.Number(name, howTo);
        if (seconds is { } s && (s < limits.MinSegmentSeconds || s > limits.MaxSegmentSeconds))
        {
            fields.Report(name, $"'{name}' {Show(s)} is out of range; {howTo}");
            return null;
        }

        return seconds;
    }

    public static double? Overlap(FieldReader fields)
    {
        const string name = "overlapSeconds";
        const string howTo = "use a number of seconds from 0 to half of segmentSeconds";
        double? seconds = fields.Number(name, howTo);
        if (seconds is < 0)
        {
            fields.Report(name, $"'{name}' {Show(seconds.Value)} is negative; {howTo}");
            return null;
        }

        return seconds;
    }

    public static ItemPurpose? Purpose(FieldReader fields) =>
        Choice(fields, "purpose", "use \"general\" or \"forensic\"", "a purpose", ("general", ItemPurpose.General), ("forensic", ItemPurpose.Forensic));

    public static bool? Faithful(FieldReader fields)
    {
        const string name = "faithful";
        if (!fields.TryGetAny(name, out var value))
        {
            return null;
        }

        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }

        fields.Report(name, $"'{name}' must be true or false, not {FieldReader.Describe(value.ValueKind)}; use true for outputs that only attenuate the recording (the default for \"purpose\": \"forensic\")");
        return null;
    }

    /// <summary><c>background</c>: true for <c>"suppress"</c>, false for <c>"keep"</c>, null when not given (or reported).</summary>
    public static bool? SuppressBackground(FieldReader fields) =>
        Choice(
            fields,
            "background",
            "use \"suppress\" to take a field recording's steady background (wind, rain, hum) out of the targets, or \"keep\"",
            "a choice",
            ("keep", false),
            ("suppress", true));

    public static NonFiniteSamples? NonFinite(FieldReader fields) =>
        Choice(
            fields,
            "nonFinite",
            "use \"fail\" (the default: a NaN or infinite sample fails the item) or \"zero\" (replace such samples with silence)",
            "a choice",
            ("fail", NonFiniteSamples.Fail),
            ("zero", NonFiniteSamples.Zero));

    /// <summary>
    /// An optional string field that must be one of <paramref name="choices"/>: its value, null when not given, or a
    /// report naming the field, the text given, <paramref name="notA"/> ("is not a purpose") and <paramref name="howTo"/>.
    /// </summary>
    private static T? Choice<T>(FieldReader fields, string name, string howTo, string notA, params (string Text, T Value)[] choices)
        where T : struct
    {
        string? text = fields.String(name, required: false, howTo);
        if (text is null)
        {
            return null;
        }

        foreach (var (choice, value) in choices)
        {
            if (text == choice)
            {
                return value;
            }
        }

        fields.Report(name, $"'{name}' {Shown.Quoted(text)} is not {notA}; {howTo}");
        return null;
    }

    public const int MaxSeed = SamplerSettings.MaxSeed;

    public const int MaxSteps = SamplerSettings.MaxSteps;

    public static int? Seed(FieldReader fields) =>
        WholeNumber(fields, "seed", 0, MaxSeed, $"use a whole number from 0 to {MaxSeed}, e.g. 42 (the same seed gives the same output)");

    public static int? Steps(FieldReader fields) =>
        WholeNumber(fields, "steps", 1, MaxSteps, $"use a whole number from 1 to {MaxSteps} (SAM-Audio's default is 16; each step is two model calls)");

    private static int? WholeNumber(FieldReader fields, string name, int minimum, int maximum, string howTo)
    {
        if (!fields.TryGet(name, JsonValueKind.Number, required: false, howTo, out var value))
        {
            return null;
        }

        // 42.0 is 42; 4.5 is not a whole number; anything else outside the range is reported as such.
        bool finite = value.TryGetDouble(out double number) && double.IsFinite(number);
        if (finite && number == Math.Floor(number) && number >= minimum && number <= maximum)
        {
            return (int)number;
        }

        string problem = finite && number != Math.Floor(number) ? "is not a whole number" : "is out of range";
        fields.Report(name, $"'{name}' {value.GetRawText()} {problem}; {howTo}");
        return null;
    }

    /// <summary>The sentence for <c>"nonFinite": "zero"</c> on a forensic item (or in forensic defaults).</summary>
    public const string ForensicNonFinite =
        "'nonFinite' \"zero\" is not allowed with \"purpose\": \"forensic\": replacing samples would alter the evidence; leave nonFinite out (NaN or infinite samples then fail the item, naming where they are) and repair or document the file";

    /// <summary>The sentence for <c>"faithful": false</c> on a forensic item (or in forensic defaults).</summary>
    public const string ForensicDirect =
        "'faithful' false is not allowed with \"purpose\": \"forensic\": the model's own outputs can hold sound the recording does not; leave faithful out (forensic items are faithful: the outputs only attenuate the recording and sum to it) or use \"purpose\": \"general\"";

    public static string Show(double seconds) => seconds.ToString("0.###", CultureInfo.InvariantCulture);
}
