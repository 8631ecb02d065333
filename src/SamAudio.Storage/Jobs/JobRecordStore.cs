using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace SamAudio.Storage.Jobs;

/// <summary>A job record and the ETag of the blob version it was read from.</summary>
public sealed record StoredJobRecord(JobRecord Record, ETag ETag);

/// <summary>
/// Reads and writes the ingestion record, <c>&lt;jobId&gt;/_state/job.json</c>, in the jobs container. Only ingestion
/// writes it: created with If-None-Match: * (a second trigger for the same manifest finds it), replaced with If-Match
/// while the job is rejected. Workers record progress in <see cref="ShardMarker"/>s instead.
/// </summary>
public sealed class JobRecordStore
{
    private readonly BlobContainerClient _jobs;

    /// <summary>Creates a store over the jobs container (created on first write if missing).</summary>
    public JobRecordStore(BlobContainerClient jobs)
    {
        _jobs = jobs ?? throw new ArgumentNullException(nameof(jobs));
    }

    /// <summary>True for ids the manifest allows: 1-64 letters, digits, '-', '_' and '.', not only dots.</summary>
    public static bool IsValidJobId(string? jobId) => jobId is { Length: > 0 and <= 64 } && jobId.Trim('.').Length > 0
        && jobId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary>Blob name of a job's ingestion record (<c>&lt;jobId&gt;/job.json</c> is the workers' final summary).</summary>
    public static string BlobName(string jobId) => $"{jobId}/_state/job.json";

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
