using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace SamAudio.Storage.Jobs;

/// <summary>A job record and the ETag of the blob version it was read from.</summary>
public sealed record StoredJobRecord(JobRecord Record, ETag ETag);

/// <summary>
/// Reads and writes <c>&lt;jobId&gt;/job.json</c> in the jobs container with ETag optimistic concurrency: every
/// update is read-modify-write with If-Match and is retried on 412, so two writers never lose an update.
/// </summary>
public sealed class JobRecordStore
{
    private const int MaxUpdateAttempts = 200;
    private readonly BlobContainerClient _jobs;
    private readonly TimeProvider _time;

    /// <summary>Creates a store over the jobs container (created on first write if missing).</summary>
    public JobRecordStore(BlobContainerClient jobs, TimeProvider? time = null)
    {
        _jobs = jobs ?? throw new ArgumentNullException(nameof(jobs));
        _time = time ?? TimeProvider.System;
    }

    /// <summary>True for ids the manifest allows: 1-64 letters, digits, '-', '_' and '.', not only dots.</summary>
    public static bool IsValidJobId(string? jobId) => jobId is { Length: > 0 and <= 64 } && jobId.Trim('.').Length > 0
        && jobId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary>Blob name of a job's record.</summary>
    public static string BlobName(string jobId) => $"{jobId}/job.json";

    /// <summary>Reads the record, or null when the job does not exist.</summary>
    public async Task<StoredJobRecord?> GetAsync(string jobId, CancellationToken cancellationToken = default)
    {
        try
        {
            var response = await _jobs.GetBlobClient(BlobName(jobId)).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            var record = JsonSerializer.Deserialize(response.Value.Content.ToMemory().Span, StorageJson.Context.JobRecord)
                ?? throw new JsonException($"Job record '{BlobName(jobId)}' holds JSON null.");
            return new StoredJobRecord(record, response.Value.Details.ETag);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Writes a new record; false when one already exists (If-None-Match: *), nothing is changed then.</summary>
    public Task<bool> TryCreateAsync(JobRecord record, CancellationToken cancellationToken = default) =>
        TryWriteAsync(record, new BlobRequestConditions { IfNoneMatch = ETag.All }, cancellationToken);

    /// <summary>Replaces the record if it is still at <paramref name="etag"/>; false when someone changed it first.</summary>
    public Task<bool> TryReplaceAsync(JobRecord record, ETag etag, CancellationToken cancellationToken = default) =>
        TryWriteAsync(record, new BlobRequestConditions { IfMatch = etag }, cancellationToken);

    /// <summary>
    /// Applies <paramref name="update"/> to the current record and writes it if unchanged meanwhile, retrying with the
    /// fresh record on a conflict. <paramref name="update"/> may run several times and returns null for "no change".
    /// Returns the record as written (or as read when unchanged), or null when the job does not exist.
    /// </summary>
    public async Task<JobRecord?> UpdateAsync(string jobId, Func<JobRecord, JobRecord?> update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        for (var attempt = 1; attempt <= MaxUpdateAttempts; attempt++)
        {
            var stored = await GetAsync(jobId, cancellationToken).ConfigureAwait(false);
            if (stored is null) return null;
            var next = update(stored.Record);
            if (next is null) return stored.Record;
            next = next with { UpdatedAt = _time.GetUtcNow() };
            if (await TryReplaceAsync(next, stored.ETag, cancellationToken).ConfigureAwait(false))
                return next;
            // Someone else wrote first: back off a little (jittered, growing) and retry on the fresh version.
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 10 + Math.Min(attempt, 20) * 5)), cancellationToken).ConfigureAwait(false);
        }
        throw new InvalidOperationException($"Job record '{BlobName(jobId)}' kept changing: gave up after {MaxUpdateAttempts} attempts.");
    }

    /// <summary>Marks a work item running and counts the attempt (a done item stays done).</summary>
    public Task<JobRecord?> MarkRunningAsync(string jobId, string workItemId, CancellationToken cancellationToken = default) =>
        UpdateAsync(jobId, r => r.WithWorkItem(workItemId, w => w.State == WorkItemState.Done ? w
            : w with { State = WorkItemState.Running, Attempts = w.Attempts + 1 }, _time.GetUtcNow()), cancellationToken);

    /// <summary>Marks a work item done with the blob paths of its outputs.</summary>
    public Task<JobRecord?> MarkDoneAsync(string jobId, string workItemId, IReadOnlyList<string> outputs, CancellationToken cancellationToken = default) =>
        UpdateAsync(jobId, r => r.WithWorkItem(workItemId, w => w with { State = WorkItemState.Done, LastError = null, Outputs = outputs },
            _time.GetUtcNow()), cancellationToken);

    /// <summary>Marks a work item failed with its last error (a done item stays done: a late duplicate failed).</summary>
    public Task<JobRecord?> MarkFailedAsync(string jobId, string workItemId, string lastError, CancellationToken cancellationToken = default) =>
        UpdateAsync(jobId, r => r.WithWorkItem(workItemId, w => w.State == WorkItemState.Done ? w
            : w with { State = WorkItemState.Failed, LastError = lastError }, _time.GetUtcNow()), cancellationToken);

    private async Task<bool> TryWriteAsync(JobRecord record, BlobRequestConditions conditions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var body = BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(record, StorageJson.Context.JobRecord));
        var options = new BlobUploadOptions { Conditions = conditions, HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } };
        var blob = _jobs.GetBlobClient(BlobName(record.JobId));
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await blob.UploadAsync(body, options, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412 && ex.ErrorCode != BlobErrorCode.ContainerNotFound)
            {
                return false;
            }
            catch (RequestFailedException ex) when (attempt == 0 && ex.ErrorCode == BlobErrorCode.ContainerNotFound)
            {
                await _jobs.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
