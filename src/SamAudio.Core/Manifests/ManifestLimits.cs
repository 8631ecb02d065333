namespace SamAudio.Core.Manifests;

/// <summary>
/// Limits enforced by <see cref="ManifestReader"/>. The defaults are the documented product limits
/// (docs/manifest.md); hosts may tighten them. Each value is checked when set and the combination when
/// the reader starts, with <see cref="ArgumentOutOfRangeException"/>.
/// </summary>
public sealed record ManifestLimits
{
    /// <summary>The documented product limits.</summary>
    public static ManifestLimits Default { get; } = new();

    /// <summary>Most items in one manifest. Default 10,000.</summary>
    public int MaxItems { get; init => field = AtLeast(value, 1, nameof(MaxItems)); } = 10_000;

    /// <summary>Most prompts per item (after defaults are applied). Default 16.</summary>
    public int MaxPromptsPerItem { get; init => field = AtLeast(value, 1, nameof(MaxPromptsPerItem)); } = 16;

    /// <summary>Longest prompt, in Unicode characters after normalisation. Default 256.</summary>
    public int MaxPromptLength { get; init => field = AtLeast(value, 1, nameof(MaxPromptLength)); } = 256;

    /// <summary>Present and absent spans of all of an item's prompts together (every work item carries them all).</summary>
    public int MaxSpansPerItem { get; init => field = AtLeast(value, 1, nameof(MaxSpansPerItem)); } = 64;

    /// <summary>Largest manifest, in UTF-8 bytes. Default 4 MiB.</summary>
    public int MaxManifestBytes { get; init => field = AtLeast(value, 2, nameof(MaxManifestBytes)); } = 4 * 1024 * 1024;

    /// <summary>Longest <c>recording</c> path, in characters. Default 1024.</summary>
    public int MaxRecordingPathLength { get; init => field = AtLeast(value, 1, nameof(MaxRecordingPathLength)); } = 1024;

    /// <summary>Shortest <c>segmentSeconds</c>. Default 1.</summary>
    public double MinSegmentSeconds { get; init => field = Positive(value, nameof(MinSegmentSeconds)); } = 1;

    /// <summary>Longest <c>segmentSeconds</c>. Default 600.</summary>
    public double MaxSegmentSeconds { get; init => field = Positive(value, nameof(MaxSegmentSeconds)); } = 600;

    /// <summary>
    /// Most errors listed; past it one last error at <c>$</c> says how many more were found. Default 1,000.
    /// </summary>
    public int MaxErrors { get; init => field = AtLeast(value, 1, nameof(MaxErrors)); } = 1_000;

    /// <summary>Checks the combination of values; the reader calls it before parsing.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When <see cref="MinSegmentSeconds"/> exceeds <see cref="MaxSegmentSeconds"/>.</exception>
    public void Validate()
    {
        if (MinSegmentSeconds > MaxSegmentSeconds)
        {
            throw new ArgumentOutOfRangeException(
                nameof(MinSegmentSeconds), MinSegmentSeconds, $"Must not exceed {nameof(MaxSegmentSeconds)} ({MaxSegmentSeconds}).");
        }
    }

    private static int AtLeast(int value, int minimum, string name)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(value, minimum, name);
        return value;
    }

    private static double Positive(double value, string name)
    {
        if (!double.IsFinite(value) || value <= 0)
        {
            throw new ArgumentOutOfRangeException(name, value, "Must be a finite number greater than zero.");
        }

        return value;
    }
}
