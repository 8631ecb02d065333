using SamAudio.Core.Audio;

namespace SamAudio.Core.Manifests;

/// <summary>
/// The manifest's <c>defaults</c> as read; a null value was not given (or was invalid and reported).
/// <see cref="PromptsUnusable"/> is true when <c>defaults</c> or its prompts had a problem, so items that rely
/// on them are not reported a second time.
/// </summary>
internal sealed record ItemDefaults(
    IReadOnlyList<PromptDraft>? Prompts,
    bool PromptsUnusable,
    OutputMode? Output,
    ChannelSelection? Channel,
    double? Segment,
    double? Overlap,
    ItemPurpose? Purpose = null,
    NonFiniteSamples? NonFinite = null,
    int? Seed = null,
    int? Steps = null,
    bool? Faithful = null,
    bool? SuppressBackground = null)
{
    public static ItemDefaults None { get; } = new(null, false, null, null, null, null);
}
