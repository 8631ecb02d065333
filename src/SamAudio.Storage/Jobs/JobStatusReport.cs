using System.Text.Json;

namespace SamAudio.Storage.Jobs;

/// <summary>What <c>GET /api/jobs/{jobId}</c> and <c>samaudio status</c> show: the record, counts and output paths.</summary>
public sealed record JobStatusReport
{
    public required JobRecord Job { get; init; }

    /// <summary>Manifest items by state (an item is done when all its shards are).</summary>
    public required JobCounts Items { get; init; }

    /// <summary>Work items (shards) by state.</summary>
    public required JobCounts WorkItems { get; init; }

    /// <summary>Blob paths of every output written so far.</summary>
    public required IReadOnlyList<string> Outputs { get; init; }

    /// <summary>Builds the report for <paramref name="job"/>.</summary>
    public static JobStatusReport From(JobRecord job) => new()
    {
        Job = job,
        Items = job.CountItems(),
        WorkItems = job.CountWorkItems(),
        Outputs = job.WorkItems.SelectMany(w => w.Outputs).Distinct().ToArray(),
    };

    /// <summary>The report as indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, StorageJson.Indented.JobStatusReport);
}
