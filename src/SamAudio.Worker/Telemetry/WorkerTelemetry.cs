using System.Diagnostics;
using System.Diagnostics.Metrics;
using Azure.Storage.Queues.Models;
using SamAudio.Storage.WorkItems;

namespace SamAudio.Worker.Telemetry;

/// <summary>
/// The worker's traces and metrics, under one name (<see cref="Name"/>) for its <see cref="ActivitySource"/> and its
/// <see cref="Meter"/>: one span per delivery of a work item (a new trace, linked to the ingestion that planned it),
/// child spans for the phases of a shard, and the shard metrics. Recorded only while OpenTelemetry (or another
/// listener) subscribes; the <c>SamAudioTelemetry</c> setting decides that in <c>Program.cs</c>.
/// </summary>
internal sealed class WorkerTelemetry : IDisposable
{
    public const string Name = "SamAudio.Worker";

    private readonly Meter _meter;
    private readonly Histogram<double> _shardSeconds;
    private readonly Histogram<double> _realTime;
    private readonly Histogram<double> _queueWait;
    private readonly Counter<double> _audioSeconds;
    private readonly Counter<long> _failures;
    private readonly Counter<long> _redeliveries;

    /// <param name="name">Source and meter name; tests pass their own so parallel tests do not see each other.</param>
    public WorkerTelemetry(string name = Name)
    {
        string? version = typeof(WorkerTelemetry).Assembly.GetName().Version?.ToString();
        Source = new ActivitySource(name, version);
        _meter = new Meter(name, version);
        _shardSeconds = _meter.CreateHistogram("samaudio.worker.shard.duration", "s",
            "Wall time of one delivery of a work item, from receipt to delete or release, by model and outcome",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 5, 15, 30, 60, 120, 300, 600, 1200, 2400, 3600, 7200] });
        _realTime = _meter.CreateHistogram("samaudio.worker.shard.realtime_factor", "1",
            "Seconds of audio a finished shard produced per second of its processing (x real time), by model",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500] });
        _queueWait = _meter.CreateHistogram("samaudio.worker.queue.wait", "s",
            "Time from a message's insertion into the queue to the start of this delivery (includes earlier deliveries)",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 5, 15, 60, 300, 900, 3600, 4 * 3600, 12 * 3600, 86400, 3 * 86400, 7 * 86400] });
        _audioSeconds = _meter.CreateCounter<double>("samaudio.worker.audio.processed", "s", "Seconds of audio separated and stored, by model");
        _failures = _meter.CreateCounter<long>("samaudio.worker.shard.failures", "{failure}",
            "Deliveries that ended in a failure, by kind: retry (released for another attempt), permanent (no attempt can fix it), "
            + "poison (attempts exhausted), malformed (not a work item), lease_lost (another replica holds the message)");
        _redeliveries = _meter.CreateCounter<long>("samaudio.worker.shard.retries", "{delivery}",
            "Deliveries of a work item after its first (after a failure, a lost lease, or a killed or stopped replica)");
    }

    public ActivitySource Source { get; }

    /// <summary>
    /// Starts the span of one delivery: a new trace (a shard may run days after its ingestion) linked to the
    /// ingestion's trace context when the message carries one. <paramref name="item"/> is null for a message that
    /// is not a work item.
    /// </summary>
    public Activity? StartShard(QueueMessage message, WorkItem? item, string queue)
    {
        ArgumentNullException.ThrowIfNull(message);
        ActivityLink[]? links = item?.TraceParent is { } traceParent && ActivityContext.TryParse(traceParent, null, out var ingestion)
            ? [new ActivityLink(ingestion)]
            : null;
        var activity = Source.StartActivity("process work item", ActivityKind.Consumer, parentContext: default, links: links);
        if (activity is null)
        {
            return null;
        }

        activity.SetTag("messaging.destination.name", queue);
        activity.SetTag("messaging.message.id", message.MessageId);
        activity.SetTag("samaudio.deliveries", message.DequeueCount);
        if (item is not null)
        {
            activity.SetTag("samaudio.job.id", item.JobId);
            activity.SetTag("samaudio.item.id", item.ItemId);
            activity.SetTag("samaudio.work_item.id", item.Id);
            activity.SetTag("samaudio.shard.index", item.Shard.Index);
            activity.SetTag("samaudio.shard.count", item.Shard.Count);
            activity.SetTag("samaudio.model", item.Model);
        }

        return activity;
    }

    /// <summary>Records the wait of a delivery that starts now, and counts it when it is not the first.</summary>
    public void Received(QueueMessage message, string? model, DateTimeOffset now)
    {
        var tags = new TagList { { "samaudio.model", model ?? "" } };
        if (message.InsertedOn is { } inserted)
        {
            _queueWait.Record(Math.Max(0, (now - inserted).TotalSeconds), tags);
        }

        if (message.DequeueCount > 1)
        {
            _redeliveries.Add(1, tags);
        }
    }

    /// <summary>A shard's outputs are stored: <paramref name="audioSeconds"/> of audio in <paramref name="seconds"/> of processing.</summary>
    public void Separated(string model, double audioSeconds, double seconds)
    {
        var tags = new TagList { { "samaudio.model", model } };
        _audioSeconds.Add(audioSeconds, tags);
        if (seconds > 0)
        {
            _realTime.Record(audioSeconds / seconds, tags);
        }

        Activity.Current?.SetTag("samaudio.audio_seconds", audioSeconds);
    }

    /// <summary>Ends a delivery: tags its span and records its duration, and a failure of <paramref name="failure"/> kind if any.</summary>
    public void Finished(Activity? activity, string? model, string outcome, double seconds, string? failure = null, string? error = null)
    {
        var tags = new TagList { { "samaudio.model", model ?? "" }, { "samaudio.outcome", outcome } };
        _shardSeconds.Record(seconds, tags);
        if (failure is not null)
        {
            _failures.Add(1, new TagList { { "samaudio.model", model ?? "" }, { "samaudio.failure.kind", failure } });
        }

        if (activity is null)
        {
            return;
        }

        activity.SetTag("samaudio.outcome", outcome);
        if (failure is not null)
        {
            activity.SetTag("samaudio.failure.kind", failure);
            activity.SetStatus(ActivityStatusCode.Error, error);
        }
    }

    public void Dispose()
    {
        Source.Dispose();
        _meter.Dispose();
    }
}
