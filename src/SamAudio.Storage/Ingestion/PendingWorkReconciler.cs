using System.Diagnostics;
using System.Globalization;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SamAudio.Storage.Jobs;

namespace SamAudio.Storage.Ingestion;

/// <summary>What the reconciler decided for one unfinished job.</summary>
/// <param name="JobId">The job.</param>
/// <param name="Pending">Work items no worker has received yet.</param>
/// <param name="Resent">Work items sent again (0 unless their messages cannot all be in the queue, or 1 to complete a job whose work items all ended).</param>
/// <param name="Reason">Why, in words (for the log).</param>
public sealed record ReconciledJob(string JobId, int Pending, int Resent, string Reason);

/// <summary>
/// Finds work whose messages were lost and sends it again, so that nobody has to run <c>samaudio ingest
/// --resend-pending</c>. A message is lost when ingestion wrote the job record but failed before or while sending, or
/// when a queue was cleared. A job is resent when all of these hold:
/// <list type="bullet">
/// <item>it was accepted and is not final (no <c>&lt;jobId&gt;/job.json</c>);</item>
/// <item>some of its work items have no shard marker at all (no worker ever received them);</item>
/// <item>nothing of the job moved for <see cref="QuietFor"/> (no marker started or finished, and the record is older);</item>
/// <item>its pool's queue holds fewer messages than the job has pending work items, so they cannot all be waiting there.</item>
/// </list>
/// The last rule keeps a long backlog (pending work behind other jobs) from being sent twice, and makes the
/// reconciler settle: once resent, the messages are in the queue and the job is left alone. Work item ids are
/// deterministic, so a duplicate that slips through is skipped by the worker that receives it. A job whose work items
/// all ended but whose job.json was never written is completed the same way (<see cref="UncompletedAsync"/>).
/// </summary>
public sealed partial class PendingWorkReconciler
{
    private readonly BlobContainerClient _jobs;
    private readonly QueueServiceClient _queues;
    private readonly StorageOptions _options;
    private readonly ManifestIngestor _ingestor;
    private readonly ModelProfiles _models;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates a reconciler over the account of <paramref name="ingestor"/>.</summary>
    public PendingWorkReconciler(BlobServiceClient blobs, QueueServiceClient queues, StorageOptions options, ManifestIngestor ingestor,
        ModelProfiles? models = null, TimeProvider? time = null, ILogger<PendingWorkReconciler>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        _jobs = blobs.GetBlobContainerClient(options.JobContainer);
        _queues = queues ?? throw new ArgumentNullException(nameof(queues));
        _options = options;
        _ingestor = ingestor ?? throw new ArgumentNullException(nameof(ingestor));
        _models = models ?? ModelProfiles.Default;
        _time = time ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>How long a job with pending work must have been quiet before its pending work is resent (default 30 minutes).</summary>
    public TimeSpan QuietFor { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Looks at every unfinished job once and resends what was lost; returns a decision per job that has pending work.</summary>
    public async Task<IReadOnlyList<ReconciledJob>> ReconcileAsync(CancellationToken cancellationToken = default)
    {
        var decisions = new List<ReconciledJob>();
        if (!(await _jobs.ExistsAsync(cancellationToken).ConfigureAwait(false)).Value)
            return decisions;
        await foreach (var entry in _jobs.GetBlobsByHierarchyAsync(BlobTraits.None, BlobStates.None, "/", prefix: null, cancellationToken).ConfigureAwait(false))
        {
            var jobId = entry.IsPrefix ? entry.Prefix.TrimEnd('/') : null;
            if (!JobRecordStore.IsValidJobId(jobId) || await ReconcileAsync(jobId!, cancellationToken).ConfigureAwait(false) is not { } decision)
                continue;
            decisions.Add(decision);
            if (decision.Resent > 0)
                Resent(_logger, decision.JobId, decision.Resent, decision.Reason);
            else
                LeftAlone(_logger, decision.JobId, decision.Pending, decision.Reason);
        }

        return decisions;
    }

    private async Task<ReconciledJob?> ReconcileAsync(string jobId, CancellationToken cancellationToken)
    {
        if (await _ingestor.Jobs.GetAsync(jobId, cancellationToken).ConfigureAwait(false) is not { Record: { Status: JobState.Accepted } record })
            return null;
        if ((await _jobs.GetBlobClient($"{jobId}/job.json").ExistsAsync(cancellationToken).ConfigureAwait(false)).Value)
            return null;

        var markers = await _ingestor.Markers.ListAsync(jobId, cancellationToken).ConfigureAwait(false);
        var received = markers.Select(m => m.WorkItemId).ToHashSet(StringComparer.Ordinal);
        var pending = record.WorkItems.Count(w => !received.Contains(w.Id));
        if (pending == 0)
            return await UncompletedAsync(jobId, record, markers, cancellationToken).ConfigureAwait(false);

        var lastMove = markers.Select(m => m.FinishedAt ?? m.StartedAt).Append(record.UpdatedAt).Max();
        var quiet = _time.GetUtcNow() - lastMove;
        if (quiet < QuietFor)
            return new ReconciledJob(jobId, pending, 0, $"it moved {Minutes(quiet)} ago");

        if (record.Model is not { } model || _models.Find(model) is not { } profile)
            return new ReconciledJob(jobId, pending, 0, $"model '{record.Model}' is not installed where the reconciler runs, so its queue is unknown");
        var queue = _queues.GetQueueClient(_options.QueueOf(profile.Pool));
        var queued = (await queue.ExistsAsync(cancellationToken).ConfigureAwait(false)).Value
            ? (await queue.GetPropertiesAsync(cancellationToken).ConfigureAwait(false)).Value.ApproximateMessagesCount
            : 0;
        if (queued >= pending)
            return new ReconciledJob(jobId, pending, 0, $"queue '{queue.Name}' holds {queued} messages, so they may all be waiting there");

        // The resent work items carry this activity's trace context, as ingestion's do.
        using var activity = IngestionTelemetry.Source.StartActivity("resend pending work", ActivityKind.Producer);
        activity?.SetTag("samaudio.job.id", jobId);
        activity?.SetTag("samaudio.work_items", pending);
        if (await _ingestor.PendingAsync(record, markers, cancellationToken).ConfigureAwait(false) is not { } plan)
            return new ReconciledJob(jobId, pending, 0, $"manifest '{record.Manifest.Name}' version {record.Manifest.ETag} no longer exists; resend by hand with samaudio ingest --resend-pending");
        await WorkQueueSender.SendAsync(queue, plan.Messages, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new ReconciledJob(jobId, pending, plan.Messages.Count,
            $"quiet for {Minutes(quiet)} with {pending} work items never received and {queued} messages in queue '{queue.Name}'");
    }

    /// <summary>The blob the reconciler rewrites when it asks for a job's completion: its time counts as the job moving.</summary>
    internal static string CompletionRequestBlob(string jobId) => $"{jobId}/_state/completion.requested";

    /// <summary>Metadata of <see cref="CompletionRequestBlob"/>: when the reconciler last asked (by its own clock).</summary>
    private const string RequestedAt = "requestedat";

    /// <summary>
    /// A job whose every work item ended (a done or failed marker each) without a job.json: the worker that should have
    /// completed it died after its message was gone (a shard that failed for good deletes its message before it asks).
    /// After <see cref="QuietFor"/>, one ended work item is sent again, a done one when there is one: its delivery finds
    /// the shard done, redoes nothing, and completes the job. The request is stamped on <see cref="CompletionRequestBlob"/>,
    /// so it is repeated at most once per quiet period while the job stays incomplete.
    /// </summary>
    private async Task<ReconciledJob?> UncompletedAsync(string jobId, JobRecord record, IReadOnlyList<ShardMarker> markers, CancellationToken cancellationToken)
    {
        var ended = markers.Where(m => m.State != ShardState.Running).ToList();
        var endedIds = ended.Select(m => m.WorkItemId).ToHashSet(StringComparer.Ordinal);
        if (!record.WorkItems.All(w => endedIds.Contains(w.Id)))
            return null; // shards in hand: their messages come back to whoever finishes them

        var request = _jobs.GetBlobClient(CompletionRequestBlob(jobId));
        DateTimeOffset? requested = null;
        try
        {
            var metadata = (await request.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value.Metadata;
            if (metadata.TryGetValue(RequestedAt, out var at) && DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed))
                requested = parsed;
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == 404)
        {
            // Never requested.
        }

        var lastMove = ended.Select(m => m.FinishedAt ?? m.StartedAt).Append(record.UpdatedAt).Append(requested ?? DateTimeOffset.MinValue).Max();
        var quiet = _time.GetUtcNow() - lastMove;
        if (quiet < QuietFor)
            return new ReconciledJob(jobId, 0, 0, $"every work item has ended and job.json is not written yet; it moved {Minutes(quiet)} ago");

        var trigger = ended.OrderBy(m => m.State == ShardState.Done ? 0 : 1).ThenByDescending(m => m.FinishedAt ?? m.StartedAt).First();
        if (record.Model is not { } model || _models.Find(model) is not { } profile)
            return new ReconciledJob(jobId, 0, 0, $"model '{record.Model}' is not installed where the reconciler runs, so its queue is unknown");
        if (await _ingestor.PlanAgainAsync(record, new HashSet<string>([trigger.WorkItemId], StringComparer.Ordinal), cancellationToken).ConfigureAwait(false) is not { Messages.Count: > 0 } plan)
            return new ReconciledJob(jobId, 0, 0, $"work item {trigger.WorkItemId} cannot be planned again from manifest '{record.Manifest.Name}' version {record.Manifest.ETag}; resend by hand with samaudio ingest --resend-pending");

        using var activity = IngestionTelemetry.Source.StartActivity("resend pending work", ActivityKind.Producer);
        activity?.SetTag("samaudio.job.id", jobId);
        activity?.SetTag("samaudio.work_items", 1);
        var stamp = new Dictionary<string, string> { [RequestedAt] = _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture) };
        await request.UploadAsync(BinaryData.FromString(trigger.WorkItemId), new BlobUploadOptions { Metadata = stamp }, cancellationToken).ConfigureAwait(false);
        await WorkQueueSender.SendAsync(_queues.GetQueueClient(_options.QueueOf(profile.Pool)), plan.Messages, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new ReconciledJob(jobId, 0, 1,
            $"every work item ended {Minutes(quiet)} ago and job.json was never written; work item {trigger.WorkItemId} sent again so that a worker completes the job");
    }

    private static string Minutes(TimeSpan span) => $"{Math.Floor(span.TotalMinutes):0} min";

    [LoggerMessage(1, LogLevel.Warning, "Resent {Count} work items of job {JobId}: {Reason}")]
    private static partial void Resent(ILogger logger, string jobId, int count, string reason);

    [LoggerMessage(2, LogLevel.Information, "Job {JobId} has {Pending} work items not yet received; not resent: {Reason}")]
    private static partial void LeftAlone(ILogger logger, string jobId, int pending, string reason);
}
