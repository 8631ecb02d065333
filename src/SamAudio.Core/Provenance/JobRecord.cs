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

    /// <summary>
    /// The HTML report and every file it shows (pictures, audio excerpts), with hashes; null until a report is written.
    /// A report is derived from the outputs after they are complete, so it lives here and never in an item's
    /// <c>run.json</c>, which stays the item's completion marker (docs/decisions/0003-report-rendering.md).
    /// </summary>
    public JobReportRecord? Report { get; init; }

    /// <summary>Why a report was asked for and not made (the outputs are complete without it); null otherwise.</summary>
    public string? ReportError { get; init; }
}

/// <summary>The job's report: the page, relative to the job folder, and every file written for it.</summary>
public sealed record JobReportRecord(string Path, IReadOnlyList<ReportFileRecord> Files);

/// <summary>A report file relative to the job folder, with its SHA-256 and size.</summary>
public sealed record ReportFileRecord(string Path, string Sha256, long SizeBytes);

/// <summary>How many items are in each state.</summary>
public sealed record JobCounts(int Items, int Completed, int Skipped, int Failed);

/// <summary>One item's outcome in <c>job.json</c>.</summary>
public sealed record JobItemRecord(string Id, string Status, string RunRecord, double Seconds, string? Error = null);
