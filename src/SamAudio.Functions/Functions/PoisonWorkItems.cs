using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using SamAudio.Storage.Jobs;
using SamAudio.Storage.WorkItems;

namespace SamAudio.Functions.Functions;

/// <summary>
/// Work items a pool's workers gave up on (<c>&lt;queue&gt;-poison</c> of the CPU and the GPU queue) get a failed
/// <see cref="ShardMarker"/> with the last error, so nothing disappears silently. Idempotent: the marker is written once
/// (a second delivery changes nothing) and never beside a done marker (a duplicate that finished wins). Never throws for
/// a bad message: that would only move it to another poison queue.
/// </summary>
public sealed partial class PoisonWorkItems(JobRecordStore jobs, ShardMarkerStore markers, ILogger<PoisonWorkItems> logger)
{
    /// <summary>Poison messages of the CPU pool (<c>SamAudioCpuWorkQueue</c>).</summary>
    [Function("PoisonWorkItemsCpu")]
    public Task RunCpuAsync(
        [QueueTrigger("%SamAudioCpuWorkQueue%-poison", Connection = ServiceRegistration.Connection)] string message,
        CancellationToken cancellationToken = default) => HandleAsync(message, cancellationToken);

    /// <summary>Poison messages of the GPU pool (<c>SamAudioGpuWorkQueue</c>).</summary>
    [Function("PoisonWorkItemsGpu")]
    public Task RunGpuAsync(
        [QueueTrigger("%SamAudioGpuWorkQueue%-poison", Connection = ServiceRegistration.Connection)] string message,
        CancellationToken cancellationToken = default) => HandleAsync(message, cancellationToken);

    /// <summary>Marks the work item of <paramref name="message"/> (a failure record or a bare work item) failed.</summary>
    public async Task HandleAsync(string message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        FailedWorkItem failed;
        try
        {
            failed = FailedWorkItem.Parse(message, dequeueCount: 0);
        }
        catch (JsonException ex)
        {
            Unreadable(logger, ex.Message, message.Length > 200 ? message[..200] : message);
            return;
        }
        var item = failed.WorkItem;
        if (!JobRecordStore.IsValidJobId(item.JobId)
            || await jobs.GetAsync(item.JobId, cancellationToken).ConfigureAwait(false) is not { } stored
            || stored.Record.WorkItems.All(w => w.Id != item.Id))
        {
            UnknownWorkItem(logger, item.JobId, item.Id, failed.LastError);
            return;
        }
        if (await markers.ExistsAsync(item.JobId, item.Id, ShardState.Done, cancellationToken).ConfigureAwait(false))
        {
            AlreadyDone(logger, item.JobId, item.Id, failed.LastError);
            return;
        }

        // The last attempt's running marker, if any, says when and where it started.
        var running = await markers.GetAsync(item.JobId, item.Id, ShardState.Running, cancellationToken).ConfigureAwait(false);
        var failedAt = failed.FailedAt == default ? DateTimeOffset.UtcNow : failed.FailedAt;
        var marker = ShardMarker.For(item, ShardState.Failed, failed.DequeueCount, running?.StartedAt ?? failedAt) with
        {
            FinishedAt = failedAt,
            Error = failed.LastError,
            Worker = running?.Worker,
        };
        if (await markers.TryMarkFinalAsync(marker, cancellationToken).ConfigureAwait(false))
            MarkedFailed(logger, item.JobId, item.Id, failed.LastError);
        else
            AlreadyFailed(logger, item.JobId, item.Id);
    }

    [LoggerMessage(1, LogLevel.Warning, "Work item {WorkItemId} of job {JobId} failed: {Error}")]
    private static partial void MarkedFailed(ILogger logger, string jobId, string workItemId, string error);

    [LoggerMessage(2, LogLevel.Error, "Poison work item {WorkItemId} names job {JobId}, which has no such work item; last error: {Error}")]
    private static partial void UnknownWorkItem(ILogger logger, string jobId, string workItemId, string error);

    [LoggerMessage(3, LogLevel.Error, "Unreadable poison message ({Reason}): {Start}")]
    private static partial void Unreadable(ILogger logger, string reason, string start);

    [LoggerMessage(4, LogLevel.Information, "Poison work item {WorkItemId} of job {JobId} is already done (a duplicate finished it); not marked failed. Its last error: {Error}")]
    private static partial void AlreadyDone(ILogger logger, string jobId, string workItemId, string error);

    [LoggerMessage(5, LogLevel.Information, "Work item {WorkItemId} of job {JobId} was already marked failed; this poison delivery changes nothing")]
    private static partial void AlreadyFailed(ILogger logger, string jobId, string workItemId);
}
