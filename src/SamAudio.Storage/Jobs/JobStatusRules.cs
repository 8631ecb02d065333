namespace SamAudio.Storage.Jobs;

/// <summary>The markers one work item has (any of them may be missing).</summary>
internal sealed class MarkerSet
{
    public ShardMarker? Running { get; set; }

    public ShardMarker? Done { get; set; }

    public ShardMarker? Failed { get; set; }

    /// <summary>Done if a done marker exists, else failed if a failed one does, else running if a running one does, else pending.</summary>
    public static WorkItemState StateOf(MarkerSet? markers) =>
        markers?.Done is not null ? WorkItemState.Done
        : markers?.Failed is not null ? WorkItemState.Failed
        : markers?.Running is not null ? WorkItemState.Running
        : WorkItemState.Pending;
}

/// <summary>
/// How a job's status follows from its plan, its shard markers and which items have a <c>run.json</c>: pure rules,
/// no storage, so every reader of a job (HTTP, CLI) sees the same thing.
/// </summary>
internal static class JobStatusRules
{
    /// <summary>The markers of each planned work item, by work item id; markers of work items outside the plan are left out.</summary>
    public static Dictionary<string, MarkerSet> Group(JobRecord job, IEnumerable<ShardMarker> markers)
    {
        var sets = job.WorkItems.ToDictionary(w => w.Id, _ => new MarkerSet(), StringComparer.Ordinal);
        foreach (var marker in markers)
        {
            if (!sets.TryGetValue(marker.WorkItemId, out var set)) continue;
            switch (marker.State)
            {
                case ShardState.Running: set.Running = marker; break;
                case ShardState.Done: set.Done = marker; break;
                default: set.Failed = marker; break;
            }
        }
        return sets;
    }

    /// <summary>
    /// The work items whose failure decides their item: a failed shard, and a done shard with a failed marker beside it
    /// when its item has no <c>run.json</c> (every shard was done, then assembling the item failed for good, for example
    /// committed bytes that differ from a shard's record). Once the item is assembled, a late failed marker means nothing.
    /// </summary>
    public static IEnumerable<string> FailedWorkItems(JobRecord job, IReadOnlyDictionary<string, MarkerSet> markers, IReadOnlySet<string> assembledItems) =>
        job.WorkItems.Where(w => markers.GetValueOrDefault(w.Id)?.Failed is not null
            && (MarkerSet.StateOf(markers[w.Id]) == WorkItemState.Failed || !assembledItems.Contains(w.ItemId)))
            .Select(w => w.Id);

    /// <summary>The report for <paramref name="job"/>; <paramref name="reasons"/> holds the error of each failed work item's marker.</summary>
    public static JobStatusReport Derive(JobRecord job, IReadOnlyDictionary<string, MarkerSet> markers, IReadOnlySet<string> assembledItems,
        IReadOnlyDictionary<string, string> reasons)
    {
        var states = job.WorkItems.Select(w => MarkerSet.StateOf(markers.GetValueOrDefault(w.Id))).ToArray();
        var failedIds = FailedWorkItems(job, markers, assembledItems).ToHashSet(StringComparer.Ordinal);
        var items = job.WorkItems.Select((w, i) => (w.ItemId, State: states[i], Failed: failedIds.Contains(w.Id))).GroupBy(p => p.ItemId, StringComparer.Ordinal)
            .Select(g => new ItemStatus(g.Key, ItemState(g.Select(p => p.State).ToList(), g.Any(p => p.Failed), assembledItems.Contains(g.Key)),
                g.Count(p => p.State == WorkItemState.Done), g.Count()))
            .ToArray();
        var failures = new List<ShardFailure>();
        for (var i = 0; i < states.Length; i++)
        {
            var w = job.WorkItems[i];
            if (failedIds.Contains(w.Id) && markers[w.Id].Failed is { } failed)
            {
                failures.Add(new ShardFailure(w.ItemId, w.Id, w.ShardIndex, w.ShardCount, failed.Deliveries, failed.FinishedAt,
                    reasons.GetValueOrDefault(w.Id) ?? "The failed marker gives no reason."));
            }
        }
        var itemCounts = JobCounts.From(items.Select(i => i.State));
        return new JobStatusReport
        {
            JobId = job.JobId,
            State = JobStateOf(job, states, itemCounts, items.Length),
            Manifest = job.Manifest,
            Model = job.Model,
            CreatedAt = job.CreatedAt,
            Items = itemCounts,
            WorkItems = JobCounts.From(states),
            Audio = Audio(job, states, markers),
            Failures = failures,
            ItemStates = items,
            Errors = job.Errors,
            Warnings = job.Warnings,
        };
    }

    /// <summary>
    /// Failed if any shard failed, done once <c>run.json</c> exists, failed if a done shard's item failed to assemble
    /// (<paramref name="failedMarker"/>), running if any shard started (or all are done and the item is being assembled).
    /// </summary>
    private static WorkItemState ItemState(IReadOnlyList<WorkItemState> shards, bool failedMarker, bool assembled) =>
        shards.Any(s => s == WorkItemState.Failed) ? WorkItemState.Failed
        : assembled ? WorkItemState.Done
        : failedMarker ? WorkItemState.Failed
        : shards.Any(s => s != WorkItemState.Pending) ? WorkItemState.Running
        : WorkItemState.Pending;

    private static JobState JobStateOf(JobRecord job, IReadOnlyList<WorkItemState> states, JobCounts items, int itemCount)
    {
        if (job.Status == JobState.Rejected) return JobState.Rejected;
        if (states.All(s => s == WorkItemState.Pending)) return JobState.Accepted;
        if (items.Done == itemCount) return JobState.Completed;
        return items.Done + items.Failed == itemCount ? JobState.CompletedWithFailures : JobState.Running;
    }

    private static AudioProgress Audio(JobRecord job, IReadOnlyList<WorkItemState> states, IReadOnlyDictionary<string, MarkerSet> markers)
    {
        double planned = 0, processed = 0;
        double? remaining = 0;
        var unknown = 0;
        DateTimeOffset? first = null, last = null;
        for (var i = 0; i < job.WorkItems.Count; i++)
        {
            var w = job.WorkItems[i];
            if (w.AudioSeconds is { } seconds) planned += seconds;
            else unknown++;
            if (states[i] is WorkItemState.Pending or WorkItemState.Running)
            {
                remaining += w.AudioSeconds; // null (unknown) stays null
            }
            else if (states[i] == WorkItemState.Done && markers[w.Id].Done is { } done)
            {
                processed += done.AudioSeconds;
                if (done.StartedAt != default && (first is null || done.StartedAt < first)) first = done.StartedAt;
                if (done.FinishedAt is { } finished && (last is null || finished > last)) last = finished;
            }
        }
        double? wall = first is { } f && last is { } l && l > f ? (l - f).TotalSeconds : null;
        double? factor = wall is { } w2 ? processed / w2 : null;
        double? eta = remaining switch
        {
            null => null,
            <= 0 => 0,
            { } r => factor is > 0 ? r / factor : null,
        };
        return new AudioProgress
        {
            PlannedSeconds = planned,
            UnknownWorkItems = unknown,
            ProcessedSeconds = processed,
            RemainingSeconds = remaining,
            WallSeconds = wall,
            RealTimeFactor = factor,
            EtaSeconds = eta,
        };
    }
}
