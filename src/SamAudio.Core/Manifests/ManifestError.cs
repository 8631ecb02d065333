namespace SamAudio.Core.Manifests;

/// <summary>
/// One problem in a manifest. <see cref="Path"/> is a JSON path such as <c>$.items[3].prompts[0].output</c>
/// (<c>$</c> for the document itself; names that are not plain identifiers are written <c>$['odd name']</c>);
/// a missing required field is reported at the path it should have. <see cref="Message"/> is one plain sentence
/// that names the item (index and id when known), the field and what to do.
/// </summary>
public sealed record ManifestError(string Path, string Message)
{
    /// <summary>"path: message", for logs and console output.</summary>
    public override string ToString() => $"{Path}: {Message}";
}
