using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SamAudio.Core.Provenance;
using SamAudio.Storage.Jobs;
using SamAudio.Storage.WorkItems;

namespace SamAudio.Worker.Processing;

/// <summary>Where a job's completion stands after a worker asked for it.</summary>
internal enum CompletionOutcome
{
    /// <summary>Some item is not final yet: nothing to do.</summary>
    NotYet,

    /// <summary>This worker wrote <c>job.json</c> (and the report before it).</summary>
    Completed,

    /// <summary><c>job.json</c> already exists.</summary>
    AlreadyComplete,

    /// <summary>
    /// Every item is final but another worker holds the completion lock. The asker must come back after the lock's
    /// lapse (its message released, not deleted): if the holder died, nobody else may ask again.
    /// </summary>
    HeldElsewhere,
}

/// <summary>
/// Writes the job's summary, <c>&lt;jobId&gt;/job.json</c> in the format <c>samaudio batch</c> writes, once every item is
/// final (its <c>run.json</c> exists, or one of its shards failed for good). Any worker that finishes an item asks;
/// one of them writes it, holding the job's completion lock (<see cref="LockBlob"/>), so two workers finishing the
/// last two items together do not both write a 1,000-item report. With a <see cref="JobReport"/>, the report is
/// uploaded first and recorded in job.json: job.json existing ends completion, so a worker that dies between the two
/// leaves the job incomplete, its lock lapses, and the next attempt writes the report again (same blob names) and
/// then job.json. A report that cannot be made (an error that is not the storage's or a cancellation) never holds
/// the outputs back: job.json is written without it and says why in <c>reportError</c>.
/// </summary>
internal sealed partial class JobCompletion(IWorkerStore store, JobReport? report = null, ILogger? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    public static string SummaryBlob(string jobId) => $"{jobId}/job.json";

    /// <summary>The empty blob whose lease is the job's completion lock (under <c>_state/</c>: never fetched).</summary>
    public static string LockBlob(string jobId) => $"{jobId}/_state/completion.lock";

    public async Task<CompletionOutcome> FinishIfCompleteAsync(WorkItem item, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (await store.ExistsAsync(SummaryBlob(item.JobId), cancellationToken).ConfigureAwait(false))
        {
            return CompletionOutcome.AlreadyComplete;
        }

        var plan = await store.GetPlanAsync(item.JobId, cancellationToken).ConfigureAwait(false);
        if (plan is null || await FailedShardsIfAllFinalAsync(plan, cancellationToken).ConfigureAwait(false) is not { } failedShards)
        {
            return CompletionOutcome.NotYet;
        }

        await using var held = await store.TryLockAsync(LockBlob(item.JobId), cancellationToken).ConfigureAwait(false);
        if (held is null)
        {
            return CompletionOutcome.HeldElsewhere;
        }

        // The holder before us may have finished between our check and the lock.
        if (await store.ExistsAsync(SummaryBlob(item.JobId), cancellationToken).ConfigureAwait(false))
        {
            return CompletionOutcome.AlreadyComplete;
        }

        using var whileHeld = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, held.Lost);
        return await CompleteAsync(item, plan, failedShards, whileHeld.Token).ConfigureAwait(false)
            ? CompletionOutcome.Completed
            : CompletionOutcome.NotYet;
    }

    /// <summary>
    /// Two listings say whether every item is final; run.json files are read only then, once. (Reading them item by
    /// item on every completion would read n^2/2 records over a 1,000-item job.) Final stays final, so what they say
    /// still holds once the lock is taken.
    /// </summary>
    /// <returns>The failed shards by item when every item is complete or has one; else null.</returns>
    private async Task<ILookup<string, ShardMarker>?> FailedShardsIfAllFinalAsync(Storage.Jobs.JobRecord plan, CancellationToken cancellationToken)
    {
        var markers = await store.Markers.ListAsync(plan.JobId, cancellationToken).ConfigureAwait(false);
        var failedShards = markers.Where(m => m.State == ShardState.Failed).ToLookup(m => m.ItemId, StringComparer.Ordinal);
        var completed = await store.ListItemsWithRunRecordAsync(plan.JobId, cancellationToken).ConfigureAwait(false);
        return plan.WorkItems.All(w => completed.Contains(w.ItemId) || failedShards.Contains(w.ItemId)) ? failedShards : null;
    }

    private async Task<bool> CompleteAsync(WorkItem item, Storage.Jobs.JobRecord plan, ILookup<string, ShardMarker> failedShards, CancellationToken cancellationToken)
    {
        var itemIds = plan.WorkItems.Select(w => w.ItemId).Distinct(StringComparer.Ordinal).ToList();
        var items = new List<JobItemRecord>();
        foreach (var itemId in itemIds)
        {
            string runPath = $"{itemId}/run.json";
            string? runJson = await store.ReadTextAsync($"{item.JobId}/{runPath}", cancellationToken).ConfigureAwait(false);
            if (runJson is not null)
            {
                var run = WorkerJson.Deserialize<RunRecord>(runJson, runPath);
                items.Add(new JobItemRecord(itemId, run.Status, runPath, run.TimingsSeconds.GetValueOrDefault("total"), run.Error));
            }
            else if (failedShards[itemId].FirstOrDefault() is { } failed)
            {
                var reason = await store.Markers.GetAsync(item.JobId, failed.WorkItemId, ShardState.Failed, cancellationToken).ConfigureAwait(false);
                items.Add(new JobItemRecord(itemId, "failed", runPath, 0, reason?.Error ?? "a shard failed"));
            }
            else
            {
                return false; // run.json vanished between the listing and the read
            }
        }

        string manifestSha;
        try
        {
            (manifestSha, _) = await store.HashAsync(plan.Manifest, cancellationToken).ConfigureAwait(false);
        }
        catch (RecordingUnavailableException)
        {
            // The manifest blob was replaced after ingestion; the job it started is still this one.
            manifestSha = "unknown: the manifest blob changed after ingestion";
        }

        int failedCount = items.Count(i => i.Status == "failed");
        var job = new Core.Provenance.JobRecord
        {
            JobId = plan.JobId,
            Model = plan.Model ?? item.Model,
            ManifestSha256 = manifestSha,
            Status = failedCount == 0 ? "completed" : failedCount == items.Count ? "failed" : "completed_with_failures",
            Counts = new Core.Provenance.JobCounts(items.Count, items.Count - failedCount, 0, failedCount),
            Items = items,
            StartedAt = plan.CreatedAt,
            FinishedAt = DateTimeOffset.UtcNow,
            ElapsedSeconds = (DateTimeOffset.UtcNow - plan.CreatedAt).TotalSeconds,
        };
        if (report is not null)
        {
            try
            {
                job = job with { Report = await report.WriteAsync(plan, job, cancellationToken).ConfigureAwait(false) };
            }
            catch (Exception ex) when (ex is not (OperationCanceledException or Azure.RequestFailedException or IOException))
            {
                // Storage and disk errors are retried with the delivery; anything else would fail the same way again.
                ReportFailed(_logger, ex, plan.JobId);
                job = job with { ReportError = $"the report could not be made: {ex.Message}; run samaudio fetch, then samaudio report, to make it locally." };
            }
        }

        await store.WriteTextAsync(SummaryBlob(item.JobId), ProvenanceJson.Serialize(job), cancellationToken).ConfigureAwait(false);
        Completed(_logger, plan.JobId, job.Status, items.Count, failedCount);
        return true;
    }

    [LoggerMessage(2, LogLevel.Information, "Job {JobId} is {Status}: {Items} items, {Failed} failed; job.json written")]
    private static partial void Completed(ILogger logger, string jobId, string status, int items, int failed);

    [LoggerMessage(1, LogLevel.Error, "Job {JobId}: the report could not be made; job.json is written without it")]
    private static partial void ReportFailed(ILogger logger, Exception exception, string jobId);
}
