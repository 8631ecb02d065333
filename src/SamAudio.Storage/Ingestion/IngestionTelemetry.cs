using System.Diagnostics;

namespace SamAudio.Storage.Ingestion;

/// <summary>
/// The traces of ingestion: one activity per manifest ingested (tagged with its job id) and one per job the reconciler
/// resends. Each work item planned inside one carries its W3C trace context (<see cref="WorkItems.WorkItem.TraceParent"/>),
/// so the worker's trace of the shard links back. Nothing is recorded unless a listener (OpenTelemetry with
/// <see cref="SourceName"/>) is registered.
/// </summary>
public static class IngestionTelemetry
{
    /// <summary>Name of the <see cref="ActivitySource"/> to register with OpenTelemetry.</summary>
    public const string SourceName = "SamAudio.Ingestion";

    internal static ActivitySource Source { get; } = new(SourceName, typeof(IngestionTelemetry).Assembly.GetName().Version?.ToString());

    /// <summary>The current activity's W3C trace context, or null when there is none (no listener) or it is not W3C.</summary>
    internal static string? TraceParent() => Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;

    internal static void Tag(this Activity? activity, IngestResult result)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag("samaudio.job.id", result.JobId);
        activity.SetTag("samaudio.ingest.outcome", result.Outcome.ToString());
        activity.SetTag("samaudio.work_items", result.WorkItems.Count);
        if (result.Outcome == IngestOutcome.Rejected)
        {
            activity.SetStatus(ActivityStatusCode.Error, $"{result.Errors.Count} manifest errors");
        }
    }
}
