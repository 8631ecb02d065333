using System.Text.Json;
using SamAudio.Core.Manifests;
using SamAudio.Storage.WorkItems;

namespace SamAudio.Storage.Jobs;

/// <summary>
/// What <c>GET /api/jobs/{jobId}</c> and <c>samaudio status</c> show, derived from the plan (the ingestion record), the
/// shard markers and the items' <c>run.json</c> blobs by <see cref="JobStatusReader"/>; no blob holds it.
/// </summary>
public sealed record JobStatusReport
{
    /// <summary>Schema id of the document.</summary>
    public const string SchemaId = "samaudio.status/v1";

    public string Schema { get; init; } = SchemaId;

    public required string JobId { get; init; }

    public required JobState State { get; init; }

    /// <summary>The manifest version the job was made from.</summary>
    public required BlobVersion Manifest { get; init; }

    public string? Model { get; init; }

    /// <summary>When the manifest was ingested.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Manifest items by state: failed if a shard failed, done once its <c>run.json</c> exists.</summary>
    public required JobCounts Items { get; init; }

    /// <summary>Work items (shards) by state: done, else failed, else running, by the markers they have.</summary>
    public required JobCounts WorkItems { get; init; }

    public required AudioProgress Audio { get; init; }

    /// <summary>Every failed shard, with the reason from its failed marker.</summary>
    public IReadOnlyList<ShardFailure> Failures { get; init; } = [];

    /// <summary>Each manifest item's state, in manifest order.</summary>
    public IReadOnlyList<ItemStatus> ItemStates { get; init; } = [];

    /// <summary>Validation errors of a rejected manifest.</summary>
    public IReadOnlyList<ManifestError> Errors { get; init; } = [];

    /// <summary>Warnings from ingestion (e.g. a recording of unknown length processed as one shard).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The report as indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, StorageJson.Indented.JobStatusReport);
}

/// <summary>How much audio the job covers and how fast it goes. Seconds are seconds of recording unless named wall.</summary>
public sealed record AudioProgress
{
    /// <summary>Sum of the planned work items' audio (those of unknown length count 0; see <see cref="UnknownWorkItems"/>).</summary>
    public double PlannedSeconds { get; init; }

    /// <summary>Work items whose length was unknown at ingestion (recordings that are not WAV).</summary>
    public int UnknownWorkItems { get; init; }

    /// <summary>Sum of the done markers' audio.</summary>
    public double ProcessedSeconds { get; init; }

    /// <summary>Audio of the work items neither done nor failed; null when one of them has an unknown length.</summary>
    public double? RemainingSeconds { get; init; }

    /// <summary>Wall-clock seconds from the earliest start to the latest finish of the done shards; null before one is done.</summary>
    public double? WallSeconds { get; init; }

    /// <summary>Processed audio seconds per wall second (x real time, all workers together); null before one shard is done.</summary>
    public double? RealTimeFactor { get; init; }

    /// <summary>Remaining audio at <see cref="RealTimeFactor"/>, in wall seconds; null when either is unknown, 0 when nothing remains.</summary>
    public double? EtaSeconds { get; init; }
}

/// <summary>A shard that failed for good, with the reason its failed marker gives.</summary>
public sealed record ShardFailure(string ItemId, string WorkItemId, int ShardIndex, int ShardCount, long Deliveries, DateTimeOffset? FailedAt, string Error);

/// <summary>One manifest item's state and how many of its shards are done.</summary>
public sealed record ItemStatus(string ItemId, WorkItemState State, int ShardsDone, int ShardCount);
