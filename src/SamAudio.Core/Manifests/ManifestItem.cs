using SamAudio.Core.Audio;

namespace SamAudio.Core.Manifests;

/// <summary>
/// One recording to process, with every default of the manifest already applied.
/// </summary>
/// <param name="Id">Safe id, unique (case-insensitive) within the manifest; names the item's output folder.</param>
/// <param name="Recording">Validated relative path with forward slashes; resolve it with <see cref="ManifestPaths.Resolve"/>.</param>
/// <param name="Sha256">Expected SHA-256 of the recording in lower-case hex, or null when not given.</param>
/// <param name="Prompts">One to <see cref="ManifestLimits.MaxPromptsPerItem"/> prompts with unique slugs.</param>
/// <param name="Start">Where processing starts in the recording; null means its beginning.</param>
/// <param name="End">Where processing ends (exclusive, later than <paramref name="Start"/>); null means its end.</param>
/// <param name="Channel">The channel fed to the separator.</param>
/// <param name="SegmentSeconds">Window length in seconds; null when neither the item nor <c>defaults</c> sets one, and
/// the model pack's preferred length applies.</param>
/// <param name="OverlapSeconds">Overlap of neighbouring windows in seconds, at most half of the window; null when
/// neither the item nor <c>defaults</c> sets one, and the pack's preferred overlap applies, capped at half the window
/// (<see cref="Segmentation.SegmentationOptions.Resolve"/>).</param>
public sealed record ManifestItem(
    string Id,
    string Recording,
    string? Sha256,
    IReadOnlyList<PromptSpec> Prompts,
    TimeSpan? Start,
    TimeSpan? End,
    ChannelSelection Channel,
    double? SegmentSeconds,
    double? OverlapSeconds)
{
    /// <summary>What the output is for; a forensic item refuses options that alter samples.</summary>
    public ItemPurpose Purpose { get; init; }

    /// <summary>
    /// Faithful outputs (decision 0006): the item's <c>faithful</c>, else <c>defaults.faithful</c>, else true for a
    /// forensic item and false otherwise. A forensic item cannot turn it off.
    /// </summary>
    public bool Faithful { get; init; }

    /// <summary>
    /// <c>"background": "suppress"</c> (the item's, else <c>defaults.background</c>): the steady background of a field
    /// recording leaves the targets for the residuals (decision 0010). False (<c>"keep"</c>) by default.
    /// </summary>
    public bool SuppressBackground { get; init; }

    /// <summary>What to do with NaN or infinite samples in the recording (by default the item fails).</summary>
    public NonFiniteSamples NonFinite { get; init; }

    /// <summary>
    /// Seed of a generative model's initial noise (the flow family); null when neither the item nor <c>defaults</c>
    /// sets one and the run's seed applies (<c>--seed</c>, else 0). A model without a sampler records it and ignores it.
    /// </summary>
    public int? Seed { get; init; }

    /// <summary>
    /// ODE steps of a generative model's sampler; null when neither the item nor <c>defaults</c> sets them and the run's
    /// (<c>--steps</c>) or the model's default applies (16 for SAM-Audio). Recorded and ignored by a model without a sampler.
    /// </summary>
    public int? Steps { get; init; }

    /// <summary>Zero-based position of the item in the manifest's <c>items</c> array.</summary>
    public int Index { get; init; }
}
