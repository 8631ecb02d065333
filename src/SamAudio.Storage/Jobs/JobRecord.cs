using SamAudio.Core.Manifests;
using SamAudio.Storage.WorkItems;

namespace SamAudio.Storage.Jobs;

/// <summary>Where a job stands as a whole.</summary>
public enum JobState
{
    /// <summary>Validated, work items sent, none started yet.</summary>
    Accepted,
    /// <summary>Some work started, and not every item is done or failed yet.</summary>
    Running,
    /// <summary>Every item done.</summary>
    Completed,
    /// <summary>Every item done or failed, and at least one failed.</summary>
    CompletedWithFailures,
    /// <summary>The manifest was invalid; nothing was sent. <see cref="JobRecord.Errors"/> says why.</summary>
    Rejected,
}

/// <summary>Where one work item (or one manifest item) stands.</summary>
public enum WorkItemState { Pending, Running, Done, Failed }

/// <summary>One work item (shard) of the plan, as ingestion wrote it; its progress lives in its <see cref="ShardMarker"/>s.</summary>
public sealed record WorkItemEntry
{
    public required string Id { get; init; }

    public required string ItemId { get; init; }

    public int ShardIndex { get; init; }

    public int ShardCount { get; init; } = 1;

    /// <summary>Seconds of audio the shard produces, or null when the duration was unknown at ingestion (not WAV).</summary>
    public double? AudioSeconds { get; init; }
}

/// <summary>
/// The ingestion record, <c>&lt;jobs container&gt;/&lt;jobId&gt;/_state/job.json</c>: the manifest version, warnings or
/// errors, and the plan (one entry per work item). Written once by ingestion (replaced only while the job is
/// rejected) through <see cref="JobRecordStore"/>; workers never write it. <c>&lt;jobId&gt;/job.json</c> is the final
/// summary the workers write when every item is final.
/// </summary>
public sealed record JobRecord
{
    /// <summary>Schema id of the document.</summary>
    public const string SchemaId = "samaudio.jobrecord/v1";

    public string Schema { get; init; } = SchemaId;

    public required string JobId { get; init; }

    /// <summary><see cref="JobState.Accepted"/> or <see cref="JobState.Rejected"/>; progress is derived, see <see cref="JobStatusReader"/>.</summary>
    public required JobState Status { get; init; }

    /// <summary>The manifest version this record was made from.</summary>
    public required BlobVersion Manifest { get; init; }

    public string? Model { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Validation errors of a rejected manifest (also in <c>&lt;manifest&gt;.errors.json</c>).</summary>
    public IReadOnlyList<ManifestError> Errors { get; init; } = [];

    /// <summary>Things a user should know that did not stop the job (e.g. a recording processed as one shard).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    public IReadOnlyList<WorkItemEntry> WorkItems { get; init; } = [];
}

/// <summary>How many are pending, running, done and failed.</summary>
public sealed record JobCounts(int Pending, int Running, int Done, int Failed)
{
    /// <summary>Counts <paramref name="states"/>.</summary>
    public static JobCounts From(IEnumerable<WorkItemState> states)
    {
        int p = 0, r = 0, d = 0, f = 0;
        foreach (var s in states)
        {
            switch (s)
            {
                case WorkItemState.Pending: p++; break;
                case WorkItemState.Running: r++; break;
                case WorkItemState.Done: d++; break;
                default: f++; break;
            }
        }
        return new JobCounts(p, r, d, f);
    }
}
