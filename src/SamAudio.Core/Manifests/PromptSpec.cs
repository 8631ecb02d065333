using SamAudio.Core.Separation;

namespace SamAudio.Core.Manifests;

/// <summary>
/// One normalised prompt of an item: <see cref="Text"/> is trimmed, its whitespace runs collapsed to one space
/// and Unicode-normalised (NFC); <see cref="Output"/> has the manifest's defaults applied.
/// </summary>
/// <param name="Text">The prompt sent to the text encoder.</param>
/// <param name="Output">The signals to write for this prompt.</param>
public sealed record PromptSpec(string Text, OutputMode Output)
{
    /// <summary>
    /// The file-name stem of this prompt's outputs (<c>&lt;slug&gt;.target.wav</c>). The reader assigns slugs
    /// unique within the item (see <see cref="PromptSlug.Assign"/>); by default it is <see cref="PromptSlug.From"/>.
    /// </summary>
    public string Slug { get; init; } = PromptSlug.From(Text);

    /// <summary>
    /// Where the sound is known to be present or absent (<c>present</c> / <c>absent</c>, seconds of recording time,
    /// present first, each in manifest order); null for none. Only a model that takes span prompts accepts them.
    /// </summary>
    public IReadOnlyList<PromptSpan>? Spans { get; init; }
}
