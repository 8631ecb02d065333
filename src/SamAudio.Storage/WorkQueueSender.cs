using Azure.Storage.Queues;

namespace SamAudio.Storage;

/// <summary>
/// Sends work item messages the way the Functions queue output binding does (one message per element). Used by
/// <c>samaudio ingest</c>, which runs without the Functions host. The client must come from
/// <see cref="StorageClientFactory"/> so the body is Base64-encoded.
/// </summary>
public static class WorkQueueSender
{
    /// <summary>A message time-to-live of -1: the service keeps the message until it is deleted (a backlog may last weeks).</summary>
    private static readonly TimeSpan NeverExpires = TimeSpan.FromSeconds(-1);

    /// <summary>Creates the queue if needed and sends every message, a few at a time.</summary>
    public static async Task SendAsync(QueueClient queue, IReadOnlyList<string> messages, int concurrency = 16, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        if (messages.Count == 0) return;
        await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(messages, parallel, async (message, ct) =>
            await queue.SendMessageAsync(BinaryData.FromString(message), visibilityTimeout: null, timeToLive: NeverExpires, cancellationToken: ct).ConfigureAwait(false)).ConfigureAwait(false);
    }
}
