using SamAudio.Core.Manifests;
using SamAudio.Storage.WorkItems;

namespace SamAudio.Storage.Jobs;

/// <summary>Where a job stands as a whole.</summary>
public enum JobState
{
    /// <summary>Validated, work items sent, none finished yet.</summary>
    Accepted,
    /// <summary>At least one work item running or finished, some not yet.</summary>
    Running,
    /// <summary>Every work item done.</summary>
    Completed,
    /// <summary>Every work item finished and at least one failed.</summary>
    CompletedWithFailures,
    /// <summary>The manifest was invalid; nothing was sent. <see cref="JobRecord.Errors"/> says why.</summary>
    Rejected,
}

/// <summary>Where one work item stands.</summary>
public enum WorkItemState { Pending, Running, Done, Failed }

/// <summary>One work item's line in the job record.</summary>
public sealed record WorkItemEntry
{
    public required string Id { get; init; }

    public required string ItemId { get; init; }

    public int ShardIndex { get; init; }

    public int ShardCount { get; init; } = 1;

    public WorkItemState State { get; init; }

    /// <summary>How many times a worker started this work item.</summary>
    public int Attempts { get; init; }

    public string? LastError { get; init; }

    /// <summary>Blob paths (<c>&lt;container&gt;/&lt;name&gt;</c>) of the outputs the worker wrote.</summary>
    public IReadOnlyList<string> Outputs { get; init; } = [];

    public DateTimeOffset? UpdatedAt { get; init; }
}

/// <summary>The job record, <c>&lt;jobs container&gt;/&lt;jobId&gt;/job.json</c>. Updated only through <see cref="JobRecordStore"/>.</summary>
public sealed record JobRecord
{
    /// <summary>Schema id of the document.</summary>
    public string Schema { get; init; } = "samaudio.job/v1";

    public required string JobId { get; init; }

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

    /// <summary>
    /// Returns a copy with work item <paramref name="workItemId"/> replaced by <paramref name="update"/>'s result and
    /// <see cref="Status"/> recomputed, or null when the record has no such work item.
    /// </summary>
    public JobRecord? WithWorkItem(string workItemId, Func<WorkItemEntry, WorkItemEntry> update, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(update);
        var index = -1;
        for (var i = 0; i < WorkItems.Count; i++)
        {
            if (WorkItems[i].Id == workItemId) { index = i; break; }
        }
        if (index < 0) return null;
        var items = WorkItems.ToArray();
        items[index] = update(items[index]) with { UpdatedAt = now };
        return this with { WorkItems = items, UpdatedAt = now, Status = Derive(Status, items) };
    }

    /// <summary>Counts of work items in each state.</summary>
    public JobCounts CountWorkItems() => JobCounts.From(WorkItems.Select(w => w.State));

    /// <summary>Counts of manifest items: failed if any shard failed, done if all done, running if any started.</summary>
    public JobCounts CountItems() => JobCounts.From(WorkItems.GroupBy(w => w.ItemId).Select(g =>
        g.Any(w => w.State == WorkItemState.Failed) ? WorkItemState.Failed
        : g.All(w => w.State == WorkItemState.Done) ? WorkItemState.Done
        : g.Any(w => w.State != WorkItemState.Pending) ? WorkItemState.Running
        : WorkItemState.Pending));

    private static JobState Derive(JobState current, IReadOnlyList<WorkItemEntry> items)
    {
        if (current == JobState.Rejected) return current;
        var counts = JobCounts.From(items.Select(w => w.State));
        if (counts.Pending + counts.Running > 0)
            return counts.Pending == items.Count ? JobState.Accepted : JobState.Running;
        return counts.Failed > 0 ? JobState.CompletedWithFailures : JobState.Completed;
    }
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
