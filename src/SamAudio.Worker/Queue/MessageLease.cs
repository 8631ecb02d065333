using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Logging;
using SamAudio.Worker.Health;

namespace SamAudio.Worker.Queue;

/// <summary>
/// Keeps one received message invisible while its shard runs: every third of the lease it extends the visibility
/// timeout and keeps the new pop receipt (the old one stops working). If a renewal fails (the message was deleted,
/// or its lease lapsed and another replica took it), <see cref="Lost"/> trips so the shard stops at once.
/// </summary>
internal sealed partial class MessageLease : IAsyncDisposable
{
    private readonly QueueClient _queue;
    private readonly TimeSpan _lease;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _renewals;

    /// <summary>Beaten after each renewal, so a long shard keeps the worker alive for the liveness probe.</summary>
    private readonly LoopHeartbeat? _heartbeat;

    public MessageLease(QueueClient queue, QueueMessage message, TimeSpan lease, ILogger logger, LoopHeartbeat? heartbeat = null)
    {
        _heartbeat = heartbeat;
        _queue = queue;
        _lease = lease;
        _logger = logger;
        MessageId = message.MessageId;
        PopReceipt = message.PopReceipt;
        _renewals = Task.Run(RenewAsync);
    }

    public string MessageId { get; }

    /// <summary>The current pop receipt, for delete or update.</summary>
    public string PopReceipt { get; private set; }

    /// <summary>Cancelled when the message can no longer be held.</summary>
    public CancellationToken Lost => _lost.Token;

    /// <summary>Deletes the message (the work is stored). Returns false when it was no longer ours to delete.</summary>
    public async Task<bool> DeleteAsync(CancellationToken cancellationToken = default)
    {
        await StopRenewingAsync().ConfigureAwait(false);
        try
        {
            await _queue.DeleteMessageAsync(MessageId, PopReceipt, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 400)
        {
            return false;
        }
    }

    /// <summary>Makes the message visible again after <paramref name="delay"/> (another replica may take it).</summary>
    public async Task ReleaseAsync(TimeSpan delay, CancellationToken cancellationToken = default)
    {
        await StopRenewingAsync().ConfigureAwait(false);
        try
        {
            await _queue.UpdateMessageAsync(MessageId, PopReceipt, visibilityTimeout: delay, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 400)
        {
            // Gone already: nothing to release.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopRenewingAsync().ConfigureAwait(false);
        _lost.Dispose();
        _stop.Dispose();
    }

    private async Task StopRenewingAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
        }

        try
        {
            await _renewals.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped on purpose.
        }
    }

    private async Task RenewAsync()
    {
        var every = _lease / 3;
        while (!_stop.IsCancellationRequested)
        {
            await Task.Delay(every, _stop.Token).ConfigureAwait(false);
            try
            {
                var receipt = await _queue.UpdateMessageAsync(MessageId, PopReceipt, visibilityTimeout: _lease, cancellationToken: _stop.Token).ConfigureAwait(false);
                PopReceipt = receipt.Value.PopReceipt;
                _heartbeat?.Beat();
            }
            catch (RequestFailedException ex)
            {
                RenewalFailed(_logger, MessageId, ex.Status, ex.ErrorCode ?? "");
                await _lost.CancelAsync().ConfigureAwait(false);
                return;
            }
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Lost the lease of message {MessageId} (HTTP {Status} {Code}); stopping its shard")]
    private static partial void RenewalFailed(ILogger logger, string messageId, int status, string code);
}
