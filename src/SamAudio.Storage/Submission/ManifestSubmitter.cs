using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using SamAudio.Core.Manifests;

namespace SamAudio.Storage.Submission;

/// <summary>What <see cref="ManifestSubmitter.SubmitAsync"/> did.</summary>
/// <param name="Errors">Problems that stopped the submission before anything was uploaded (empty on success).</param>
/// <param name="ManifestBlob">Name of the uploaded manifest in the manifests container (null when stopped).</param>
/// <param name="Uploaded">Recording blobs uploaded.</param>
/// <param name="Skipped">Recording blobs already present with the same content hash.</param>
public sealed record SubmitResult(IReadOnlyList<ManifestError> Errors, string? ManifestBlob, IReadOnlyList<string> Uploaded, IReadOnlyList<string> Skipped);

/// <summary>
/// Uploads a local manifest's recordings, then the manifest (whose upload starts ingestion in Azure). Recordings go
/// to <c>&lt;recordings&gt;/&lt;prefix&gt;&lt;recording&gt;</c> with their SHA-256 in metadata and MD5 as Content-MD5;
/// a blob whose hash already matches is skipped. The manifest goes to <c>&lt;manifests&gt;/&lt;prefix&gt;&lt;jobId&gt;.json</c>,
/// so its folder is the recordings' prefix, as ingestion expects.
/// </summary>
public sealed class ManifestSubmitter(BlobServiceClient blobs, StorageOptions options)
{
    /// <summary>Validates and submits <paramref name="manifestPath"/>; nothing is uploaded if the manifest or a hash is wrong.</summary>
    /// <param name="manifestPath">Local manifest file; recordings resolve relative to its folder.</param>
    /// <param name="prefix">Virtual folder for the manifest and its recordings ("" or ending in '/').</param>
    /// <param name="cancellationToken">Cancels the uploads.</param>
    public async Task<SubmitResult> SubmitAsync(string manifestPath, string prefix = "", CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(manifestPath);
        ArgumentNullException.ThrowIfNull(prefix);
        if (prefix.Length > 0 && (!prefix.EndsWith('/') || prefix.StartsWith('/') || prefix.Contains("..", StringComparison.Ordinal)))
            throw new ArgumentException($"Prefix \"{prefix}\" must be a relative folder ending in '/', e.g. \"surveys/2026/\".", nameof(prefix));
        var parsed = await ManifestReader.ReadFileAsync(manifestPath, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (parsed.Manifest is not { } manifest)
            return new SubmitResult(parsed.Errors, null, [], []);

        var folder = Path.GetDirectoryName(Path.GetFullPath(manifestPath))!;
        var recordings = manifest.Items.GroupBy(i => i.Recording, StringComparer.Ordinal).ToList();
        var hashes = new Dictionary<string, FileHashes>(StringComparer.Ordinal);
        var errors = new List<ManifestError>();
        foreach (var group in recordings)
        {
            var path = ManifestPaths.Resolve(folder, group.Key);
            var first = group.First();
            if (!File.Exists(path))
            {
                errors.Add(new($"$.items[{first.Index}].recording", $"File \"{path}\" does not exist."));
                continue;
            }
            var hash = await FileHashes.ComputeAsync(path, cancellationToken).ConfigureAwait(false);
            hashes[group.Key] = hash;
            foreach (var item in group.Where(i => i.Sha256 is not null && !string.Equals(i.Sha256, hash.Sha256, StringComparison.OrdinalIgnoreCase)))
                errors.Add(new($"$.items[{item.Index}].sha256", $"The manifest expects SHA-256 {item.Sha256} but \"{path}\" has {hash.Sha256}."));
        }
        if (errors.Count > 0)
            return new SubmitResult(errors, null, [], []);

        var container = blobs.GetBlobContainerClient(options.RecordingContainer);
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var uploaded = new List<string>();
        var skipped = new List<string>();
        foreach (var (recording, hash) in hashes)
        {
            var blob = container.GetBlobClient(prefix + recording);
            if (await MatchesAsync(blob, hash, cancellationToken).ConfigureAwait(false))
            {
                skipped.Add(blob.Name);
                continue;
            }
            await using var stream = File.OpenRead(ManifestPaths.Resolve(folder, recording));
            await blob.UploadAsync(stream, new BlobUploadOptions
            {
                HttpHeaders = new BlobHttpHeaders { ContentHash = hash.Md5, ContentType = ContentType(recording) },
                Metadata = new Dictionary<string, string> { ["sha256"] = hash.Sha256 },
            }, cancellationToken).ConfigureAwait(false);
            uploaded.Add(blob.Name);
        }

        var manifests = blobs.GetBlobContainerClient(options.ManifestContainer);
        await manifests.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var manifestBlob = manifests.GetBlobClient($"{prefix}{manifest.JobId}.json");
        await using (var stream = File.OpenRead(manifestPath))
        {
            await manifestBlob.UploadAsync(stream, new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } },
                cancellationToken).ConfigureAwait(false);
        }
        return new SubmitResult([], manifestBlob.Name, uploaded, skipped);
    }

    private static async Task<bool> MatchesAsync(BlobClient blob, FileHashes hash, CancellationToken cancellationToken)
    {
        try
        {
            var props = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
            if (props.ContentLength != hash.Length) return false;
            if (props.Metadata.TryGetValue("sha256", out var sha256))
                return string.Equals(sha256, hash.Sha256, StringComparison.OrdinalIgnoreCase);
            return props.ContentHash is { Length: > 0 } md5 && md5.AsSpan().SequenceEqual(hash.Md5);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return false;
        }
    }

    private static string ContentType(string recording) => Path.GetExtension(recording).ToLowerInvariant() switch
    {
        ".wav" => "audio/wav",
        ".flac" => "audio/flac",
        ".mp3" => "audio/mpeg",
        ".ogg" => "audio/ogg",
        _ => "application/octet-stream",
    };
}
