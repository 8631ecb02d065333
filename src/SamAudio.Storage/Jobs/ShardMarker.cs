using SamAudio.Storage.WorkItems;

namespace SamAudio.Storage.Jobs;

/// <summary>Where a shard's work stands, as its own markers in the jobs container say.</summary>
public enum ShardState
{
    Running,
    Done,
    Failed,
}

/// <summary>
/// What a worker records about one shard (one work item), in a blob of its own, so status is derived without any
/// blob that every shard rewrites: <c>&lt;jobId&gt;/_state/shards/&lt;workItemId&gt;.&lt;state&gt;.json</c>. A
/// <c>running</c> marker is rewritten at each attempt; <c>done</c> and <c>failed</c> are written once
/// (If-None-Match) and only after everything they vouch for is stored. The same fields travel as blob metadata, so
/// a listing alone gives the job's status.
/// </summary>
public sealed record ShardMarker
{
    public string Schema { get; init; } = "samaudio.shard/v1";

    public required string JobId { get; init; }

    public required string WorkItemId { get; init; }

    public required string ItemId { get; init; }

    public required int ShardIndex { get; init; }

    public required int ShardCount { get; init; }

    public required ShardState State { get; init; }

    /// <summary>Seconds of the recording this shard produces (its own range, without context).</summary>
    public double AudioSeconds { get; init; }

    /// <summary>Deliveries of the work item so far, this one included (the queue's DequeueCount).</summary>
    public long Deliveries { get; init; }

    /// <summary>
    /// Attempts that ended in an error the worker caught and recorded. Deliveries also count replicas killed or
    /// stopped mid-shard, which say nothing about the work item, so the poison decision counts these instead.
    /// </summary>
    public int Failures { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>Wall-clock seconds this attempt took, when finished.</summary>
    public double? Seconds { get; init; }

    /// <summary>Why the shard failed, in words a user can act on (failed markers only).</summary>
    public string? Error { get; init; }

    /// <summary>The replica that wrote the marker (host name).</summary>
    public string? Worker { get; init; }

    /// <summary>
    /// A marker of <paramref name="item"/>'s shard in <paramref name="state"/>: its job, item, shard and audio seconds
    /// (0 when the length was unknown at ingestion) filled in from the work item.
    /// </summary>
    public static ShardMarker For(WorkItem item, ShardState state, long deliveries, DateTimeOffset startedAt)
    {
        ArgumentNullException.ThrowIfNull(item);
        return new ShardMarker
        {
            JobId = item.JobId,
            WorkItemId = item.Id,
            ItemId = item.ItemId,
            ShardIndex = item.Shard.Index,
            ShardCount = item.Shard.Count,
            State = state,
            AudioSeconds = item.Shard.AudioSeconds ?? 0,
            Deliveries = deliveries,
            StartedAt = startedAt,
        };
    }

    /// <summary>Blob name of a marker in the jobs container.</summary>
    public static string BlobName(string jobId, string workItemId, ShardState state) =>
        $"{jobId}/_state/shards/{workItemId}.{state.ToString().ToLowerInvariant()}.json";

    /// <summary>Prefix under which all of a job's shard markers live.</summary>
    public static string Prefix(string jobId) => $"{jobId}/_state/shards/";
}
