namespace SamAudio.Core.Manifests;

/// <summary>
/// A validated <c>samaudio.manifest/v1</c> prompt manifest. Only <see cref="ManifestReader"/> produces one, so
/// every value in it has passed validation and every default has been applied to <see cref="Items"/>.
/// </summary>
/// <param name="Schema">Always <see cref="SchemaV1"/>.</param>
/// <param name="JobId">Safe id of the job; names the job's output folder.</param>
/// <param name="Model">Model pack id; <see cref="DefaultModel"/> when the manifest does not name one.</param>
/// <param name="Items">One or more items, in manifest order.</param>
public sealed record Manifest(string Schema, string JobId, string Model, IReadOnlyList<ManifestItem> Items)
{
    /// <summary>The only schema this version reads.</summary>
    public const string SchemaV1 = "samaudio.manifest/v1";

    /// <summary>The model used when the manifest has no <c>model</c> field.</summary>
    public const string DefaultModel = "samaudio-mini";
}
