using System.Diagnostics;
using System.Text.Json;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SamAudio.Core.Pipeline;
using SamAudio.Inference.Packs;
using SamAudio.Storage.Jobs;
using SamAudio.Storage.WorkItems;
using SamAudio.Worker.Health;
using SamAudio.Worker.Processing;
using SamAudio.Worker.Telemetry;

namespace SamAudio.Worker.Queue;

/// <summary>
/// Takes work items from the queue and hands each to <see cref="ShardProcessor"/> while a <see cref="MessageLease"/>
/// keeps it invisible; deletes the message only after the shard's outputs and done marker are stored. Stops taking
/// work when nothing is visible (a Container Apps job execution: billed replicas never wait for others' shards), or,
/// with <see cref="WorkerOptions.Drain"/>, when the queue holds no message at all.
/// </summary>
/// <remarks>
/// Each delivery is one span of <see cref="WorkerTelemetry"/> with its outcome; every receive and lease renewal beats
/// the <see cref="LoopHeartbeat"/> that the liveness probe reads.
/// </remarks>
internal sealed partial class QueueWorker(
    QueueClient queue, QueueClient poison, IWorkerStore store, WorkerOptions options, ModelCatalog catalog, IHostApplicationLifetime lifetime, ILogger<QueueWorker> logger,
    WorkerTelemetry? telemetry = null, LoopHeartbeat? heartbeat = null)
    : BackgroundService
{
    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A message delivered this many times the attempt limit without a recorded end kills whoever takes it (a crash no
    /// catch sees, such as running out of memory): it goes to the poison queue so it cannot take the pool down.
    /// </summary>
    private const int DeliveriesWithoutARecordedEnd = 4;
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly WorkerTelemetry _telemetry = telemetry ?? new WorkerTelemetry();
    private long _slowestShardTicks;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await queue.CreateIfNotExistsAsync(cancellationToken: stoppingToken).ConfigureAwait(false);
            await poison.CreateIfNotExistsAsync(cancellationToken: stoppingToken).ConfigureAwait(false);
            heartbeat?.Beat();
            Started(logger, queue.Name, options.Concurrency, options.Drain);
            await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(slot => RunSlotAsync(slot, stoppingToken))).ConfigureAwait(false);
            using var self = Process.GetCurrentProcess();
            Finished(logger, queue.Name, self.PeakWorkingSet64 / (1024.0 * 1024.0));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host shutdown: messages in hand were released by their slots.
        }
        finally
        {
            lifetime.StopApplication();
        }
    }

    private async Task RunSlotAsync(int slot, CancellationToken stoppingToken)
    {
        await using var engines = new EngineProvider(catalog, logger);
        string slotFolder = Path.Combine(options.TemporaryFolder, $"{Environment.ProcessId}-{slot}");
        var processor = new ShardProcessor(store, slotFolder, Environment.MachineName, _telemetry, Report(slotFolder), logger);
        while (!stoppingToken.IsCancellationRequested)
        {
            if (!HasTimeForAnotherShard())
            {
                DeadlineNear(logger, options.ReplicaTimeout!.Value.TotalMinutes);
                return;
            }

            QueueMessage[] received = await queue.ReceiveMessagesAsync(1, options.Lease, stoppingToken).ConfigureAwait(false);
            heartbeat?.Beat();
            if (received.Length == 0)
            {
                if (!options.Drain || await IsEmptyAsync(stoppingToken).ConfigureAwait(false))
                {
                    return;
                }

                await Task.Delay(IdlePoll, stoppingToken).ConfigureAwait(false);
                continue;
            }

            long t0 = Stopwatch.GetTimestamp();
            await HandleAsync(received[0], processor, engines, stoppingToken).ConfigureAwait(false);
            InterlockedMax(ref _slowestShardTicks, Stopwatch.GetTimestamp() - t0);
            ItemMemory.Release(); // a shard is one item: its buffers go before the next
        }
    }

    /// <summary>
    /// False when the replica would be stopped (its replicaTimeout) before another shard as slow as the slowest so far
    /// (at least one lease) could finish: the message stays in the queue for a fresh replica instead of being lost
    /// halfway and redone.
    /// </summary>
    private bool HasTimeForAnotherShard()
    {
        if (options.ReplicaTimeout is not { } timeout)
        {
            return true;
        }

        var needed = TimeSpan.FromTicks(Math.Max(Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _slowestShardTicks)).Ticks, options.Lease.Ticks));
        return Stopwatch.GetElapsedTime(_started) + needed < timeout;
    }

    private static void InterlockedMax(ref long location, long value)
    {
        for (long current = Interlocked.Read(ref location); value > current; current = Interlocked.Read(ref location))
        {
            if (Interlocked.CompareExchange(ref location, value, current) == current)
            {
                return;
            }
        }
    }

    private async Task<bool> IsEmptyAsync(CancellationToken cancellationToken)
    {
        QueueProperties properties = await queue.GetPropertiesAsync(cancellationToken).ConfigureAwait(false);
        return properties.ApproximateMessagesCount == 0;
    }

    private async Task HandleAsync(QueueMessage message, ShardProcessor processor, EngineProvider engines, CancellationToken stoppingToken)
    {
        long t0 = Stopwatch.GetTimestamp();
        await using var lease = new MessageLease(queue, message, options.Lease, logger, heartbeat);
        WorkItem? item = null;
        string? malformed = null;
        try
        {
            item = WorkItemJson.Deserialize(message.Body);
        }
        catch (JsonException ex)
        {
            malformed = ex.Message;
        }

        using var activity = _telemetry.StartShard(message, item, queue.Name);
        _telemetry.Received(message, item?.Model, DateTimeOffset.UtcNow);
        var end = new DeliveryEnd("error", Failure: "error");
        try
        {
            if (item is null)
            {
                Malformed(logger, message.MessageId, malformed!);
                await poison.SendMessageAsync(message.Body, timeToLive: TimeSpan.FromSeconds(-1), cancellationToken: stoppingToken).ConfigureAwait(false);
                await lease.DeleteAsync(stoppingToken).ConfigureAwait(false);
                end = new DeliveryEnd("malformed", "malformed", malformed);
                return;
            }

            end = await ProcessAsync(item, message, lease, processor, engines, stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            activity?.AddException(ex);
            end = end with { Error = ex.Message };
            throw;
        }
        finally
        {
            _telemetry.Finished(activity, item?.Model, end.Outcome, Stopwatch.GetElapsedTime(t0).TotalSeconds, end.Failure, end.Error);
        }
    }

    /// <summary>How one delivery ended, for its span and metrics: the outcome and, for a failure, its kind and error.</summary>
    private sealed record DeliveryEnd(string Outcome, string? Failure = null, string? Error = null);

    private async Task<DeliveryEnd> ProcessAsync(WorkItem item, QueueMessage message, MessageLease lease, ShardProcessor processor, EngineProvider engines, CancellationToken stoppingToken)
    {
        using var shardToken = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lease.Lost);
        long t0 = Stopwatch.GetTimestamp();
        try
        {
            ShardStarted(logger, item.JobId, item.ItemId, item.Shard.Index + 1, item.Shard.Count, message.DequeueCount);
            var engine = await engines.GetAsync(item, shardToken.Token).ConfigureAwait(false);
            var outcome = await processor.ProcessAsync(item, engine, message.DequeueCount, cancellationToken: shardToken.Token).ConfigureAwait(false);
            if (outcome == ShardOutcome.CompletionHeldElsewhere)
            {
                // Back after the lock could have lapsed: by then job.json exists, or its holder died and this one finishes.
                await lease.ReleaseAsync(store.LockLapse, stoppingToken).ConfigureAwait(false);
            }
            else
            {
                await lease.DeleteAsync(stoppingToken).ConfigureAwait(false);
            }

            double seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            using var self = Process.GetCurrentProcess();
            ShardFinished(logger, item.JobId, item.ItemId, item.Shard.Index + 1, item.Shard.Count, outcome, seconds,
                self.WorkingSet64 / (1024.0 * 1024.0), GC.GetTotalMemory(forceFullCollection: false) / (1024.0 * 1024.0));
            return new DeliveryEnd(outcome switch
            {
                ShardOutcome.Done => "done",
                ShardOutcome.Reused => "reused",
                ShardOutcome.CompletionHeldElsewhere => "completion_held",
                _ => "already_done",
            });
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: let another replica take the shard at once.
            await lease.ReleaseAsync(TimeSpan.Zero, CancellationToken.None).ConfigureAwait(false);
            return new DeliveryEnd("released");
        }
        catch (OperationCanceledException) when (lease.Lost.IsCancellationRequested)
        {
            // Another replica holds the message now; it redoes the shard with the same block ids.
            return new DeliveryEnd("lease_lost", "lease_lost", "the message's lease could not be renewed");
        }
        catch (Exception ex) when (IsPermanent(ex))
        {
            Activity.Current?.AddException(ex);
            await FailAsync(item, message, lease, ex.Message, stoppingToken).ConfigureAwait(false);
            return new DeliveryEnd("failed", "permanent", ex.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Activity.Current?.AddException(ex);
            int failures = await RecordFailureAsync(item, message, ex, stoppingToken).ConfigureAwait(false);
            if (failures >= options.MaxAttempts || message.DequeueCount >= DeliveriesWithoutARecordedEnd * options.MaxAttempts)
            {
                string reason = $"failed {failures} times in {message.DequeueCount} deliveries; last error: {ex.Message}";
                await FailAsync(item, message, lease, reason, stoppingToken).ConfigureAwait(false);
                return new DeliveryEnd("failed", "poison", reason);
            }

            var retryIn = TimeSpan.FromSeconds(Math.Min(60, 5 * failures));
            WillRetry(logger, ex, item.JobId, item.Id, failures, options.MaxAttempts, retryIn.TotalSeconds);
            await lease.ReleaseAsync(retryIn, stoppingToken).ConfigureAwait(false);
            return new DeliveryEnd("retry", "retry", ex.Message);
        }
    }

    /// <summary>
    /// Adds one caught failure to the shard's running marker and returns the count. The poison decision counts these,
    /// not deliveries: every receive raises DequeueCount, including those of replicas killed or stopped mid-shard, and
    /// a preemptible pool must not give up on a work item because its replicas were taken away.
    /// </summary>
    private async Task<int> RecordFailureAsync(WorkItem item, QueueMessage message, Exception error, CancellationToken cancellationToken)
    {
        var running = await store.Markers.GetAsync(item.JobId, item.Id, ShardState.Running, cancellationToken).ConfigureAwait(false);
        int failures = (running?.Failures ?? 0) + 1;
        var marker = (running ?? ShardMarker.For(item, ShardState.Running, message.DequeueCount, DateTimeOffset.UtcNow))
            with { Failures = failures, Error = error.Message, Worker = Environment.MachineName };
        await store.Markers.MarkRunningAsync(marker, cancellationToken).ConfigureAwait(false);
        return failures;
    }

    /// <summary>
    /// A message that is not Base64 (another producer wrote it) cannot be a work item: its raw text goes to the poison
    /// queue and it leaves the work queue, so it never blocks the receives of the messages around it.
    /// </summary>
    public static async Task MoveUndecodableAsync(QueueMessageDecodingFailedEventArgs args, QueueClient poison)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.ReceivedMessage is not { } message)
        {
            return; // a peek: nothing to move
        }

        await poison.CreateIfNotExistsAsync(cancellationToken: args.CancellationToken).ConfigureAwait(false);
        await poison.SendMessageAsync(message.Body, timeToLive: TimeSpan.FromSeconds(-1), cancellationToken: args.CancellationToken).ConfigureAwait(false);
        await args.Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, args.CancellationToken).ConfigureAwait(false);
    }

    /// <summary>The job report written at completion (<see cref="WorkerOptions.Report"/>), made in <paramref name="folder"/>.</summary>
    private JobReport? Report(string folder) => options.Report ? new JobReport(store, folder) : null;

    /// <summary>Failures that another attempt cannot fix: the recording changed or is gone, bad input, unknown model.</summary>
    private static bool IsPermanent(Exception ex) =>
        ex is RecordingUnavailableException or InvalidDataException or ModelPackException or ArgumentException or NotSupportedException;

    private async Task FailAsync(WorkItem item, QueueMessage message, MessageLease lease, string reason, CancellationToken cancellationToken)
    {
        ShardFailed(logger, item.JobId, item.ItemId, item.Id, reason);
        var now = DateTimeOffset.UtcNow;
        var marker = ShardMarker.For(item, ShardState.Failed, message.DequeueCount, now) with { FinishedAt = now, Error = reason, Worker = Environment.MachineName };
        await store.Markers.TryMarkFinalAsync(marker, cancellationToken).ConfigureAwait(false);

        // Send, then delete: handled twice, the poison record is a harmless duplicate.
        var record = FailedWorkItem.Serialize(new FailedWorkItem { WorkItem = item, LastError = reason, DequeueCount = message.DequeueCount, FailedAt = DateTimeOffset.UtcNow });
        await poison.SendMessageAsync(record, timeToLive: TimeSpan.FromSeconds(-1), cancellationToken: cancellationToken).ConfigureAwait(false);
        await lease.DeleteAsync(cancellationToken).ConfigureAwait(false);
        // Its message is gone, so this ask is not repeated: a holder of the completion lock that dies is finished by a
        // redelivery of its own message, and the reconciler covers the rest (PendingWorkReconciler).
        await new JobCompletion(store, Report(Path.Combine(options.TemporaryFolder, $"{Environment.ProcessId}-failed")), logger)
            .FinishIfCompleteAsync(item, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(1, LogLevel.Information, "Taking work items from queue {Queue} ({Concurrency} at a time, drain: {Drain})")]
    private static partial void Started(ILogger logger, string queue, int concurrency, bool drain);

    [LoggerMessage(2, LogLevel.Information, "Queue {Queue} has no more work for this worker; stopping (peak working set {PeakMiB:F0} MiB)")]
    private static partial void Finished(ILogger logger, string queue, double peakMiB);

    [LoggerMessage(3, LogLevel.Information, "Job {JobId} item {ItemId}: shard {Shard}/{Shards} started (delivery {Delivery})")]
    private static partial void ShardStarted(ILogger logger, string jobId, string itemId, int shard, int shards, long delivery);

    [LoggerMessage(4, LogLevel.Information, "Job {JobId} item {ItemId}: shard {Shard}/{Shards} {Outcome} in {Seconds:F1} s (working set {WorkingSetMiB:F0} MiB, managed heap {HeapMiB:F0} MiB)")]
    private static partial void ShardFinished(ILogger logger, string jobId, string itemId, int shard, int shards, ShardOutcome outcome, double seconds, double workingSetMiB, double heapMiB);

    [LoggerMessage(5, LogLevel.Error, "Job {JobId} item {ItemId}: work item {WorkItemId} failed for good: {Reason}")]
    private static partial void ShardFailed(ILogger logger, string jobId, string itemId, string workItemId, string reason);

    [LoggerMessage(6, LogLevel.Warning, "Job {JobId}: work item {WorkItemId} failed ({Failures} of {MaxAttempts} attempts); retrying in {Seconds} s")]
    private static partial void WillRetry(ILogger logger, Exception exception, string jobId, string workItemId, int failures, int maxAttempts, double seconds);

    [LoggerMessage(8, LogLevel.Information, "The replica's {Minutes:F0}-minute limit is near; taking no more work")]
    private static partial void DeadlineNear(ILogger logger, double minutes);

    [LoggerMessage(7, LogLevel.Error, "Message {MessageId} is not a work item ({Reason}); moved to the poison queue")]
    private static partial void Malformed(ILogger logger, string messageId, string reason);
}
