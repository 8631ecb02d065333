using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SamAudio.Core.Manifests;
using SamAudio.Storage.Jobs;
using SamAudio.Storage.WorkItems;

namespace SamAudio.Storage.Ingestion;

/// <summary>
/// Ingests one manifest blob version: validates it with the core manifest reader, checks every recording, writes the
/// job record and returns the work item messages. Used by the IngestManifest function and <c>samaudio ingest</c>.
/// Idempotent: the job record is created with If-None-Match: * and names the manifest ETag, so a second trigger for
/// the same version returns <see cref="IngestOutcome.AlreadyIngested"/> and no messages; work item ids are
/// deterministic, so a message sent twice after a crash is harmless.
/// </summary>
public sealed class ManifestIngestor
{
    /// <summary>Suffix of the errors report written beside an invalid manifest (ignored when it triggers ingestion).</summary>
    public const string ErrorReportSuffix = ".errors.json";

    private readonly BlobServiceClient _blobs;
    private readonly StorageOptions _options;
    private readonly ManifestLimits _limits;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    /// <summary>Creates an ingestor over the account of <paramref name="blobs"/>.</summary>
    public ManifestIngestor(BlobServiceClient blobs, StorageOptions options, ManifestLimits? limits = null,
        ILogger<ManifestIngestor>? logger = null, TimeProvider? time = null)
    {
        _blobs = blobs ?? throw new ArgumentNullException(nameof(blobs));
        _options = (options ?? throw new ArgumentNullException(nameof(options))).Validate();
        _limits = limits ?? ManifestLimits.Default;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
        var jobs = blobs.GetBlobContainerClient(options.JobContainer);
        Jobs = new JobRecordStore(jobs);
        Markers = new ShardMarkerStore(jobs);
    }

    /// <summary>The job record store this ingestor writes to.</summary>
    public JobRecordStore Jobs { get; }

    /// <summary>The shard markers of the jobs container (read to find work items not yet started).</summary>
    public ShardMarkerStore Markers { get; }

    /// <summary>Ingests blob <paramref name="manifestBlobName"/> of the manifests container.</summary>
    public Task<IngestResult> IngestAsync(string manifestBlobName, CancellationToken cancellationToken = default) =>
        IngestAsync(_blobs.GetBlobContainerClient(_options.ManifestContainer).GetBlobClient(manifestBlobName), cancellationToken);

    /// <summary>
    /// Ingests the current version of <paramref name="manifestBlob"/>, inside an activity of
    /// <see cref="IngestionTelemetry.SourceName"/> whose trace context the planned work items carry.
    /// </summary>
    public async Task<IngestResult> IngestAsync(BlobClient manifestBlob, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(manifestBlob);
        using var activity = IngestionTelemetry.Source.StartActivity("ingest manifest", ActivityKind.Producer);
        activity?.SetTag("samaudio.manifest", $"{manifestBlob.BlobContainerName}/{manifestBlob.Name}");
        try
        {
            var result = await IngestCurrentVersionAsync(manifestBlob, cancellationToken).ConfigureAwait(false);
            activity.Tag(result);
            return result;
        }
        catch (Exception ex) when (activity is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, ex.Message);
            throw;
        }
    }

    private async Task<IngestResult> IngestCurrentVersionAsync(BlobClient manifestBlob, CancellationToken cancellationToken)
    {
        if (manifestBlob.Name.EndsWith(ErrorReportSuffix, StringComparison.OrdinalIgnoreCase))
            return new IngestResult { Outcome = IngestOutcome.Ignored };
        for (var attempt = 0; ; attempt++)
        {
            BlobProperties props;
            try
            {
                props = (await manifestBlob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                IngestLog.Vanished(_logger, manifestBlob.Name);
                return new IngestResult { Outcome = IngestOutcome.Ignored };
            }
            var version = new BlobVersion(manifestBlob.BlobContainerName, manifestBlob.Name, props.ETag.ToString(), props.ContentLength);
            if (props.ContentLength > _limits.MaxManifestBytes + Encoding.UTF8.Preamble.Length)
            {
                return await RejectAsync(manifestBlob, version, JobIdFromName(manifestBlob.Name),
                    [new("$", $"The manifest is {props.ContentLength} bytes; the limit is {_limits.MaxManifestBytes}. Split it into several jobs.")],
                    writeRecord: true, cancellationToken).ConfigureAwait(false);
            }
            BinaryData text;
            try
            {
                var options = new BlobDownloadOptions { Conditions = new BlobRequestConditions { IfMatch = props.ETag } };
                var content = await manifestBlob.DownloadContentAsync(options, cancellationToken).ConfigureAwait(false);
                text = content.Value.Content;
            }
            catch (RequestFailedException ex) when (ex.Status == 412 && attempt < 3)
            {
                continue; // Overwritten between the two calls: ingest the newer version.
            }
            return await IngestAsync(manifestBlob, version, text, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Recovery for lost messages: ingests <paramref name="manifestBlob"/> as usual, and when this version was already
    /// ingested, returns the work items still pending (no shard marker at all: no worker ever received them) as
    /// messages to send again (duplicates are harmless: ids are deterministic and the worker skips finished work).
    /// </summary>
    public async Task<IngestResult> ResendPendingAsync(BlobClient manifestBlob, CancellationToken cancellationToken = default)
    {
        var result = await IngestAsync(manifestBlob, cancellationToken).ConfigureAwait(false);
        if (result.Outcome != IngestOutcome.AlreadyIngested || await Jobs.GetAsync(result.JobId!, cancellationToken).ConfigureAwait(false) is not { } stored)
            return result;
        var markers = await Markers.ListAsync(stored.Record.JobId, cancellationToken).ConfigureAwait(false);
        if (await PendingAsync(stored.Record, markers, cancellationToken).ConfigureAwait(false) is not { } pending)
            return result;
        return result with { WorkItems = pending.Items, Messages = pending.Messages, Queue = pending.Queue };
    }

    /// <summary>
    /// The work items of <paramref name="record"/> that no worker ever received (no marker among
    /// <paramref name="markers"/>), planned again from the manifest version the record names, with their messages and
    /// queue; null when that manifest version no longer exists (it was overwritten or deleted since ingestion).
    /// </summary>
    internal Task<WorkPlan?> PendingAsync(JobRecord record, IReadOnlyList<ShardMarker> markers, CancellationToken cancellationToken = default)
    {
        var started = markers.Select(m => m.WorkItemId).ToHashSet(StringComparer.Ordinal);
        return PlanAgainAsync(record, record.WorkItems.Where(w => !started.Contains(w.Id)).Select(w => w.Id).ToHashSet(StringComparer.Ordinal), cancellationToken);
    }

    /// <summary>
    /// The work items of <paramref name="record"/> named in <paramref name="ids"/>, planned again from the manifest version
    /// the record names (the same ids and messages as at ingestion); null when that manifest version no longer exists.
    /// </summary>
    internal async Task<WorkPlan?> PlanAgainAsync(JobRecord record, IReadOnlySet<string> ids, CancellationToken cancellationToken = default)
    {
        var version = record.Manifest;
        var blob = _blobs.GetBlobContainerClient(version.Container).GetBlobClient(version.Name);
        BinaryData content;
        try
        {
            var options = new BlobDownloadOptions { Conditions = new BlobRequestConditions { IfMatch = new ETag(version.ETag) } };
            content = (await blob.DownloadContentAsync(options, cancellationToken).ConfigureAwait(false)).Value.Content;
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            return null;
        }
        var manifest = ManifestReader.Parse(content.ToMemory(), _limits).Manifest!;
        var plan = await new WorkItemPlanner(_blobs.GetBlobContainerClient(_options.RecordingContainer), _options)
            .PlanAsync(manifest, version, cancellationToken).ConfigureAwait(false);
        var resend = plan.Items.Select((item, i) => (item, message: plan.Messages[i])).Where(p => ids.Contains(p.item.Id)).ToList();
        return plan with { Items = [.. resend.Select(p => p.item)], Messages = [.. resend.Select(p => p.message)] };
    }

    private async Task<IngestResult> IngestAsync(BlobClient manifestBlob, BlobVersion version, BinaryData text, CancellationToken cancellationToken)
    {
        var parsed = ManifestReader.Parse(text.ToMemory(), _limits);
        if (!parsed.IsValid || parsed.Manifest is not { } manifest)
            return await RejectAsync(manifestBlob, version, JobIdFromJson(text) ?? JobIdFromName(version.Name), parsed.Errors, writeRecord: true, cancellationToken).ConfigureAwait(false);

        var existing = await Jobs.GetAsync(manifest.JobId, cancellationToken).ConfigureAwait(false);
        if (existing is { Record.Status: not JobState.Rejected })
            return await AlreadyOrConflictAsync(manifestBlob, version, existing.Record, cancellationToken).ConfigureAwait(false);

        var recordings = _blobs.GetBlobContainerClient(_options.RecordingContainer);
        var plan = await new WorkItemPlanner(recordings, _options).PlanAsync(manifest, version, cancellationToken).ConfigureAwait(false);
        if (plan.Errors.Count > 0)
            return await RejectAsync(manifestBlob, version, manifest.JobId, plan.Errors, writeRecord: true, cancellationToken).ConfigureAwait(false);

        var now = _time.GetUtcNow();
        var record = new JobRecord
        {
            JobId = manifest.JobId,
            Status = JobState.Accepted,
            Manifest = version,
            Model = manifest.Model,
            CreatedAt = now,
            UpdatedAt = now,
            Warnings = plan.Warnings,
            WorkItems = plan.Items.Select(w => new WorkItemEntry
            {
                Id = w.Id, ItemId = w.ItemId, ShardIndex = w.Shard.Index, ShardCount = w.Shard.Count, AudioSeconds = w.Shard.AudioSeconds,
            }).ToArray(),
        };
        var written = existing is null
            ? await Jobs.TryCreateAsync(record, cancellationToken).ConfigureAwait(false)
            : await Jobs.TryReplaceAsync(record, existing.ETag, cancellationToken).ConfigureAwait(false);
        if (!written)
        {
            // Another trigger wrote first (the conditional marker): decide from what it wrote.
            var winner = await Jobs.GetAsync(manifest.JobId, cancellationToken).ConfigureAwait(false);
            if (winner is { Record.Status: not JobState.Rejected })
                return await AlreadyOrConflictAsync(manifestBlob, version, winner.Record, cancellationToken).ConfigureAwait(false);
            throw new RequestFailedException(412, $"Job record of '{manifest.JobId}' changed during ingestion; the trigger will retry.");
        }
        await manifestBlob.GetParentBlobContainerClient().GetBlobClient(version.Name + ErrorReportSuffix)
            .DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        IngestLog.Accepted(_logger, version.Name, version.ETag, record.JobId, manifest.Items.Count, plan.Items.Count);
        return new IngestResult
        {
            Outcome = IngestOutcome.Accepted, JobId = manifest.JobId, WorkItems = plan.Items, Messages = plan.Messages, Queue = plan.Queue, Warnings = plan.Warnings,
        };
    }

    private async Task<IngestResult> AlreadyOrConflictAsync(BlobClient manifestBlob, BlobVersion version, JobRecord existing, CancellationToken cancellationToken)
    {
        if (existing.Manifest.Container == version.Container && existing.Manifest.Name == version.Name && existing.Manifest.ETag == version.ETag)
        {
            IngestLog.AlreadyIngested(_logger, version.Name, version.ETag, existing.JobId);
            return new IngestResult { Outcome = IngestOutcome.AlreadyIngested, JobId = existing.JobId };
        }
        ManifestError conflict = new("$.jobId",
            $"Job '{existing.JobId}' already exists (from manifest '{existing.Manifest.Name}' version {existing.Manifest.ETag}); a job is never replaced by another manifest version. Use a new jobId.");
        return await RejectAsync(manifestBlob, version, existing.JobId, [conflict], writeRecord: false, cancellationToken).ConfigureAwait(false);
    }

    private async Task<IngestResult> RejectAsync(BlobClient manifestBlob, BlobVersion version, string jobId, IReadOnlyList<ManifestError> errors,
        bool writeRecord, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var report = new ManifestErrorReport { Manifest = version, JobId = jobId, Errors = errors, CreatedAt = now };
        var reportBlob = manifestBlob.GetParentBlobContainerClient().GetBlobClient(version.Name + ErrorReportSuffix);
        await reportBlob.UploadAsync(BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(report, StorageJson.Context.ManifestErrorReport)),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } }, cancellationToken).ConfigureAwait(false);
        if (writeRecord)
        {
            var record = new JobRecord { JobId = jobId, Status = JobState.Rejected, Manifest = version, CreatedAt = now, UpdatedAt = now, Errors = errors };
            await WriteRejectedRecordAsync(record, cancellationToken).ConfigureAwait(false);
        }
        IngestLog.Rejected(_logger, version.Name, version.ETag, jobId, errors.Count, reportBlob.Name);
        return new IngestResult { Outcome = IngestOutcome.Rejected, JobId = jobId, Errors = errors, ErrorReportBlob = reportBlob.Name };
    }

    /// <summary>Writes a rejected record unless an accepted job of that id exists (never clobbers a live job).</summary>
    private async Task WriteRejectedRecordAsync(JobRecord record, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var existing = await Jobs.GetAsync(record.JobId, cancellationToken).ConfigureAwait(false);
            if (existing is { Record.Status: not JobState.Rejected }) return;
            var written = existing is null
                ? await Jobs.TryCreateAsync(record, cancellationToken).ConfigureAwait(false)
                : await Jobs.TryReplaceAsync(record, existing.ETag, cancellationToken).ConfigureAwait(false);
            if (written) return;
        }
    }

    private static string? JobIdFromJson(BinaryData text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text.ToMemory(), new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("jobId", out var id)
                && id.ValueKind == JsonValueKind.String && JobRecordStore.IsValidJobId(id.GetString()) ? id.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A job id for a manifest that has no usable one: its file name with unsafe characters replaced.</summary>
    internal static string JobIdFromName(string blobName)
    {
        var name = Path.GetFileNameWithoutExtension(blobName);
        var chars = name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-').ToArray();
        var id = new string(chars).Trim('.');
        return id.Length == 0 ? "manifest" : id[..Math.Min(id.Length, 64)];
    }
}
