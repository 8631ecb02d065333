using SamAudio.Core.Provenance;
using SamAudio.Storage.Jobs;
using SamAudio.Storage.WorkItems;

namespace SamAudio.Worker.Processing;

/// <summary>
/// Writes the job's summary, <c>&lt;jobId&gt;/job.json</c> in the format <c>samaudio batch</c> writes, once every item is
/// final (its <c>run.json</c> exists, or one of its shards failed for good). Any worker that finishes an item asks;
/// the last one writes it. Nothing is rewritten by every shard. With a <see cref="JobReport"/>, the job's report is
/// uploaded first and recorded in job.json: job.json existing ends completion, so a worker that dies between the two
/// leaves the job incomplete, and the next attempt writes the report again (same blob names) and then job.json.
/// </summary>
internal sealed class JobCompletion(IWorkerStore store, JobReport? report = null)
{
    public static string SummaryBlob(string jobId) => $"{jobId}/job.json";

    public async Task<bool> FinishIfCompleteAsync(WorkItem item, CancellationToken cancellationToken = default)
    {
        if (await store.ExistsAsync(SummaryBlob(item.JobId), cancellationToken).ConfigureAwait(false))
        {
            return true;
        }

        var plan = await store.GetPlanAsync(item.JobId, cancellationToken).ConfigureAwait(false);
        if (plan is null)
        {
            return false;
        }

        // Two listings say whether every item is final; run.json files are read only then, once. (Reading them item by
        // item on every completion would read n^2/2 records over a 1,000-item job.)
        var markers = await store.Markers.ListAsync(item.JobId, cancellationToken).ConfigureAwait(false);
        var failedShards = markers.Where(m => m.State == ShardState.Failed).ToLookup(m => m.ItemId);
        var completed = await store.ListItemsWithRunRecordAsync(item.JobId, cancellationToken).ConfigureAwait(false);
        var itemIds = plan.WorkItems.Select(w => w.ItemId).Distinct(StringComparer.Ordinal).ToList();
        if (!itemIds.All(id => completed.Contains(id) || failedShards.Contains(id)))
        {
            return false;
        }

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
            job = job with { Report = await report.WriteAsync(plan, job, cancellationToken).ConfigureAwait(false) };
        }

        await store.WriteTextAsync(SummaryBlob(item.JobId), ProvenanceJson.Serialize(job), cancellationToken).ConfigureAwait(false);
        return true;
    }
}
