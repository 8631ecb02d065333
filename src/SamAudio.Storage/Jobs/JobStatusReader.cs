using System.Collections.Concurrent;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace SamAudio.Storage.Jobs;

/// <summary>
/// Reads where a job stands from what its writers leave behind, never from a blob every shard rewrites: the plan
/// (<see cref="JobRecordStore"/>), one listing of <c>&lt;jobId&gt;/</c> with metadata (the shard markers under
/// <c>_state/shards/</c> and the items' <c>&lt;itemId&gt;/run.json</c>), and a download of each failed marker for its
/// reason. A job of 1,000 items with a few shards each costs one record read and a handful of listing pages.
/// </summary>
public sealed class JobStatusReader
{
    private const int FailedMarkerReads = 8;
    private const string RunRecord = "/run.json";
    private readonly BlobContainerClient _jobs;
    private readonly JobRecordStore _records;
    private readonly ShardMarkerStore _markers;

    /// <summary>Creates a reader over the jobs container.</summary>
    public JobStatusReader(BlobContainerClient jobs)
    {
        _jobs = jobs ?? throw new ArgumentNullException(nameof(jobs));
        _records = new JobRecordStore(jobs);
        _markers = new ShardMarkerStore(jobs);
    }

    /// <summary>The job's status, or null when there is no such job (or <paramref name="jobId"/> is not a valid id).</summary>
    public async Task<JobStatusReport?> ReadAsync(string jobId, CancellationToken cancellationToken = default)
    {
        if (!JobRecordStore.IsValidJobId(jobId)
            || await _records.GetAsync(jobId, cancellationToken).ConfigureAwait(false) is not { Record: var job })
            return null;

        var markers = new List<ShardMarker>();
        var assembled = new HashSet<string>(StringComparer.Ordinal);
        if (job.WorkItems.Count > 0)
        {
            var root = jobId + "/";
            var shards = ShardMarker.Prefix(jobId);
            await foreach (var blob in _jobs.GetBlobsAsync(BlobTraits.Metadata, BlobStates.None, root, cancellationToken).ConfigureAwait(false))
            {
                if (blob.Name.StartsWith(shards, StringComparison.Ordinal))
                {
                    if (ShardMarkerStore.FromMetadata(jobId, blob) is { } marker) markers.Add(marker);
                }
                else if (ItemOfRunRecord(blob.Name.AsSpan(root.Length)) is { } itemId)
                {
                    assembled.Add(itemId);
                }
            }
        }

        var sets = JobStatusRules.Group(job, markers);
        var failed = JobStatusRules.FailedWorkItems(job, sets, assembled).ToList();
        var reasons = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = FailedMarkerReads, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(failed, parallel, async (id, ct) =>
        {
            if (await _markers.GetAsync(jobId, id, ShardState.Failed, ct).ConfigureAwait(false) is { Error: { } error })
                reasons[id] = error;
        }).ConfigureAwait(false);
        return JobStatusRules.Derive(job, sets, assembled, reasons);
    }

    /// <summary><c>itemId</c> for <c>&lt;itemId&gt;/run.json</c> directly under the job folder; null for any other name.</summary>
    private static string? ItemOfRunRecord(ReadOnlySpan<char> relative)
    {
        if (!relative.EndsWith(RunRecord, StringComparison.Ordinal)) return null;
        var itemId = relative[..^RunRecord.Length];
        return itemId.Length > 0 && !itemId.Contains('/') && !itemId.SequenceEqual("_state") ? itemId.ToString() : null;
    }
}
