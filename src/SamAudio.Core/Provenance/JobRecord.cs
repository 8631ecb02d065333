namespace SamAudio.Core.Provenance;

/// <summary><c>job.json</c>: the state of a whole batch, item by item.</summary>
public sealed record JobRecord
{
    public const string SchemaId = "samaudio.job/v1";

    public string Schema { get; init; } = SchemaId;
    public required string JobId { get; init; }
    public required string Model { get; init; }
    public required string ManifestSha256 { get; init; }
    public required string Status { get; init; }
    public required JobCounts Counts { get; init; }
    public required IReadOnlyList<JobItemRecord> Items { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required DateTimeOffset FinishedAt { get; init; }
    public required double ElapsedSeconds { get; init; }
}

/// <summary>How many items are in each state.</summary>
public sealed record JobCounts(int Items, int Completed, int Skipped, int Failed);

/// <summary>One item's outcome in <c>job.json</c>.</summary>
public sealed record JobItemRecord(string Id, string Status, string RunRecord, double Seconds, string? Error = null);
