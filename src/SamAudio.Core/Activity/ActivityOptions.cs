namespace SamAudio.Core.Activity;

/// <summary>
/// How activity regions are derived from an isolated target. The pipeline takes them from the model pack when it
/// carries an <c>activity</c> section (chosen on a validation soundscape by <c>samaudio eval --tune-activity</c>),
/// else <see cref="Defaults"/>; <c>run.json</c> records the settings used and <see cref="Source"/>.
/// </summary>
public sealed record ActivityOptions
{
    /// <summary>The settings used when neither the caller nor the model pack gives any (chosen by eye).</summary>
    public static ActivityOptions Defaults { get; } = new() { Source = "defaults" };

    /// <summary>Analysis frame length in seconds.</summary>
    public double FrameSeconds { get; init; } = 0.1;

    /// <summary>A frame is active only when the target's RMS level is above this, in dBFS.</summary>
    public double MinLevelDb { get; init; } = -60;

    /// <summary>A frame is active only when the target holds at least this share of the mixture's energy.</summary>
    public double MinEnergyShare { get; init; } = 0.25;

    /// <summary>
    /// Hysteresis: a region is kept only when at least one of its active frames holds this share of the mixture's
    /// energy or more. Frames at <see cref="MinEnergyShare"/> make and extend regions; this higher share must be reached
    /// somewhere in them. A short loud call (a gunshot, one bark) then needs no long minimum duration to stand out from
    /// the faint, drawn-out leaks of a bed. Null: no such requirement (every region above the other thresholds is kept).
    /// </summary>
    public double? SeedEnergyShare { get; init; }

    /// <summary>Inactive gaps up to this long inside a region are bridged.</summary>
    public double MaxGapSeconds { get; init; } = 0.3;

    /// <summary>Regions shorter than this are dropped.</summary>
    public double MinRegionSeconds { get; init; } = 0.2;

    /// <summary>
    /// Turns a region's score (the mean share of the mixture's energy its target holds over its active frames) into
    /// its confidence, a calibrated probability of a true event; null: the confidence is the score itself.
    /// </summary>
    public ActivityConfidence? Confidence { get; init; }

    /// <summary>
    /// Where the settings come from, as <c>run.json</c> records it: <c>defaults</c> for <see cref="Defaults"/>,
    /// <c>model pack &lt;id&gt; &lt;version&gt;</c> for a pack's; null for settings a caller made in code.
    /// </summary>
    public string? Source { get; init; }

    /// <summary>The validation set the settings were chosen on (a pack's <c>activity.chosenOn</c>); null when unknown.</summary>
    public string? ChosenOn { get; init; }

    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(FrameSeconds, 0, nameof(FrameSeconds));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxGapSeconds, nameof(MaxGapSeconds));
        ArgumentOutOfRangeException.ThrowIfNegative(MinRegionSeconds, nameof(MinRegionSeconds));
        ArgumentOutOfRangeException.ThrowIfNegative(MinEnergyShare, nameof(MinEnergyShare));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MinEnergyShare, 1, nameof(MinEnergyShare));
        if (SeedEnergyShare is { } seed && (seed < MinEnergyShare || seed > 1))
        {
            throw new ArgumentOutOfRangeException(nameof(SeedEnergyShare), seed, $"The seed share must lie between the energy share ({MinEnergyShare}) and 1.");
        }

        if (!double.IsFinite(MinLevelDb))
        {
            throw new ArgumentOutOfRangeException(nameof(MinLevelDb), MinLevelDb, "The level threshold must be a finite number of dBFS.");
        }

        Confidence?.Validate();
    }
}
