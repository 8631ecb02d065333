namespace SamAudio.Core.Manifests;

/// <summary>
/// The outcome of reading a manifest: either a <see cref="Manifest"/> and no errors, or no manifest and every
/// problem found (in document order). Nothing should be processed from an invalid manifest.
/// </summary>
public sealed class ManifestParseResult
{
    internal ManifestParseResult(Manifest? manifest, IReadOnlyList<ManifestError> errors)
    {
        Manifest = errors.Count == 0 ? manifest : null;
        Errors = errors;
    }

    /// <summary>The validated manifest; null when <see cref="Errors"/> is not empty.</summary>
    public Manifest? Manifest { get; }

    /// <summary>Every problem found, in document order; empty when the manifest is valid.</summary>
    public IReadOnlyList<ManifestError> Errors { get; }

    /// <summary>True when the manifest is valid and <see cref="Manifest"/> is set.</summary>
    public bool IsValid => Manifest is not null;
}
