namespace SamAudio.Storage.Fetching;

/// <summary>How far a fetch has come: files checked or downloaded, and their bytes, of the totals listed.</summary>
public sealed record FetchProgress(int Files, int FilesTotal, long Bytes, long BytesTotal);

/// <summary>A blob that could not be fetched, and why.</summary>
public sealed record FetchFailure(string BlobName, string Reason);

/// <summary>What <see cref="JobFetcher.FetchAsync"/> did.</summary>
public sealed record FetchResult
{
    /// <summary>False when the jobs container holds nothing under <c>&lt;jobId&gt;/</c>: nothing was written.</summary>
    public bool JobFound { get; init; }

    /// <summary>The local job folder, <c>&lt;out&gt;/&lt;jobId&gt;</c>.</summary>
    public required string Folder { get; init; }

    /// <summary>Files downloaded (new, or different from the blob).</summary>
    public int Downloaded { get; init; }

    /// <summary>Files left alone because the local copy has the blob's hash.</summary>
    public int Skipped { get; init; }

    /// <summary>Bytes downloaded (skipped files not counted).</summary>
    public long BytesDownloaded { get; init; }

    /// <summary>Blob names that would land outside the job folder; not written.</summary>
    public IReadOnlyList<string> Refused { get; init; } = [];

    /// <summary>Blobs that failed to download or did not match their hash; nothing was left at their local path.</summary>
    public IReadOnlyList<FetchFailure> Failed { get; init; } = [];
}
