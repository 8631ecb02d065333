using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using SamAudio.Storage.Jobs;
using SamAudio.Storage.WorkItems;

namespace SamAudio.Functions.Functions;

/// <summary>
/// Work items the worker gave up on (<c>&lt;queue&gt;-poison</c>) are marked failed in their job record with the last
/// error, so nothing disappears silently. Never throws for a bad message: that would only move it to another poison queue.
/// </summary>
public sealed partial class PoisonWorkItems(JobRecordStore jobs, ILogger<PoisonWorkItems> logger)
{
    /// <summary>Marks the work item of <paramref name="message"/> (a failure record or a bare work item) failed.</summary>
    [Function(nameof(PoisonWorkItems))]
    public async Task RunAsync(
        [QueueTrigger("%SamAudioWorkQueue%-poison", Connection = ServiceRegistration.Connection)] string message,
        CancellationToken cancellationToken = default)
    {
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
        var record = await jobs.MarkFailedAsync(item.JobId, item.Id, failed.LastError, cancellationToken).ConfigureAwait(false);
        if (record is null || record.WorkItems.All(w => w.Id != item.Id))
            UnknownWorkItem(logger, item.JobId, item.Id, failed.LastError);
        else
            MarkedFailed(logger, item.JobId, item.Id, failed.LastError);
    }

    [LoggerMessage(1, LogLevel.Warning, "Work item {WorkItemId} of job {JobId} failed: {Error}")]
    private static partial void MarkedFailed(ILogger logger, string jobId, string workItemId, string error);

    [LoggerMessage(2, LogLevel.Error, "Poison work item {WorkItemId} names job {JobId}, which has no such work item; last error: {Error}")]
    private static partial void UnknownWorkItem(ILogger logger, string jobId, string workItemId, string error);

    [LoggerMessage(3, LogLevel.Error, "Unreadable poison message ({Reason}): {Start}")]
    private static partial void Unreadable(ILogger logger, string reason, string start);
}
