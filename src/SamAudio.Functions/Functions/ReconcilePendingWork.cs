using Microsoft.Azure.Functions.Worker;
using SamAudio.Storage.Ingestion;

namespace SamAudio.Functions.Functions;

/// <summary>
/// Every ten minutes, sends again the work items whose messages were lost (ingestion wrote the job record, then
/// failed to send; a queue was cleared). The rules that keep it from duplicating a healthy backlog are on
/// <see cref="PendingWorkReconciler"/>. Idempotent: a run that overlaps another, or repeats, finds the messages in
/// the queue and leaves the job alone.
/// </summary>
public sealed class ReconcilePendingWork(PendingWorkReconciler reconciler)
{
    [Function(nameof(ReconcilePendingWork))]
    public Task RunAsync([TimerTrigger("0 */10 * * * *")] TimerInfo timer, CancellationToken cancellationToken = default) =>
        reconciler.ReconcileAsync(cancellationToken);
}
