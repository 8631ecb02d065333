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
}
