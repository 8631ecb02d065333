using SamAudio.Core.Manifests;
using SamAudio.Storage.WorkItems;

namespace SamAudio.Storage.Ingestion;

/// <summary>What ingesting one manifest version did.</summary>
public enum IngestOutcome
{
    /// <summary>Valid: job record written, <see cref="IngestResult.Messages"/> are to be sent.</summary>
    Accepted,
    /// <summary>This manifest version was already ingested: nothing written, nothing to send.</summary>
    AlreadyIngested,
    /// <summary>Invalid: errors report written beside the manifest (and a rejected job record), nothing to send.</summary>
    Rejected,
    /// <summary>Not a manifest (an errors report, or a blob deleted meanwhile): nothing done.</summary>
    Ignored,
}

/// <summary>The result of <see cref="ManifestIngestor.IngestAsync(Azure.Storage.Blobs.BlobClient, CancellationToken)"/>.</summary>
public sealed record IngestResult
{
    public required IngestOutcome Outcome { get; init; }

    /// <summary>The job id (for a manifest without a usable jobId, one derived from the blob name); null when ignored.</summary>
    public string? JobId { get; init; }

    /// <summary>The work items to send; empty unless accepted.</summary>
    public IReadOnlyList<WorkItem> WorkItems { get; init; } = [];

    /// <summary>The serialized work items, one queue message each (UTF-8 JSON, well under 48 KB).</summary>
    public IReadOnlyList<string> Messages { get; init; } = [];

    /// <summary>The queue of the worker pool the manifest's model runs in, where <see cref="Messages"/> go.</summary>
    public string? Queue { get; init; }

    /// <summary>Every validation error (rejected only).</summary>
    public IReadOnlyList<ManifestError> Errors { get; init; } = [];

    /// <summary>Warnings recorded in the job record.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Blob name of the errors report (rejected only).</summary>
    public string? ErrorReportBlob { get; init; }
}

/// <summary>The document written to <c>&lt;manifest&gt;.errors.json</c> for an invalid manifest.</summary>
public sealed record ManifestErrorReport
{
    public required BlobVersion Manifest { get; init; }

    public required string JobId { get; init; }

    public required IReadOnlyList<ManifestError> Errors { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
}
