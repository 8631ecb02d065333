using System.Diagnostics;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using SamAudio.Inference.Packs;
using SamAudio.Storage;
using SamAudio.Storage.Ingestion;
using SamAudio.Storage.Tests;
using SamAudio.Storage.WorkItems;
using SamAudio.Worker.BlobStorage;
using SamAudio.Worker.Processing;
using SamAudio.Worker.Queue;
using SamAudio.Worker.Telemetry;
using SamAudio.Worker.Tests.Processing;

namespace SamAudio.Worker.Tests.Telemetry;

/// <summary>
/// The worker's traces and metrics, read in-process with OpenTelemetry's in-memory exporter: the queue worker runs
/// on Azurite queues with a telemetry name of its own, so tests running beside it cannot add to what it sees.
/// </summary>
public sealed class WorkerTelemetryTests : IAsyncLifetime
{
    private readonly TestStorage _storage = new();
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("samaudio-telemetry-");
    private readonly string _name = $"SamAudio.Worker.Test.{Guid.NewGuid():N}";
    private readonly List<Activity> _spans = [];
    private readonly List<MetricSnapshot> _metrics = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _storage.CleanUpAsync();
        _folder.Delete(recursive: true);
    }

    [Fact]
    public async Task Each_work_item_is_one_span_linked_to_its_ingestion_and_the_shard_metrics_are_recorded()
    {
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource(_name, IngestionTelemetry.SourceName).AddInMemoryExporter(_spans).Build();
        using var metering = Sdk.CreateMeterProviderBuilder().AddMeter(_name).AddInMemoryExporter(_metrics).Build();
        string jobId = $"tel-{Guid.NewGuid():N}"[..16];
        var ingested = await IngestAsync(jobId);
        Assert.True(ingested.WorkItems.Count >= 2, $"{ingested.WorkItems.Count} work items");
        Assert.All(ingested.WorkItems, w => Assert.NotNull(w.TraceParent));
        var queue = _storage.Factory.CreateQueueClient(ingested.Queue!);
        await WorkQueueSender.SendAsync(queue, ingested.Messages);

        using var telemetry = new WorkerTelemetry(_name);
        await RunWorkerAsync(new BlobWorkerStore(_storage.Blobs, _storage.Options.JobContainer, Path.Combine(_folder.FullName, "blobs")), telemetry);
        metering.ForceFlush();

        var ingestion = Assert.Single(_spans, s => s.DisplayName == "ingest manifest" && (string?)s.GetTagItem("samaudio.job.id") == jobId);
        Assert.Equal(ActivityKind.Producer, ingestion.Kind);
        var shards = _spans.Where(s => s.Source.Name == _name && s.DisplayName == "process work item").ToList();
        Assert.Equal(ingested.WorkItems.Select(w => w.Id).Order(StringComparer.Ordinal),
            shards.Select(s => (string)s.GetTagItem("samaudio.work_item.id")!).Order(StringComparer.Ordinal));
        foreach (var shard in shards)
        {
            var item = ingested.WorkItems.Single(w => w.Id == (string?)shard.GetTagItem("samaudio.work_item.id"));
            Assert.Equal(ActivityKind.Consumer, shard.Kind);
            Assert.Equal(default, shard.ParentSpanId); // a trace of its own...
            var link = Assert.Single(shard.Links); // ...linked to the ingestion that planned it
            Assert.Equal(ingestion.TraceId, link.Context.TraceId);
            Assert.Equal(ingestion.SpanId, link.Context.SpanId);
            Assert.Equal(jobId, shard.GetTagItem("samaudio.job.id"));
            Assert.Equal("one", shard.GetTagItem("samaudio.item.id"));
            Assert.Equal(item.Shard.Index, shard.GetTagItem("samaudio.shard.index"));
            Assert.Equal(item.Shard.Count, shard.GetTagItem("samaudio.shard.count"));
            Assert.Equal("passthrough", shard.GetTagItem("samaudio.model"));
            Assert.Equal(1L, shard.GetTagItem("samaudio.deliveries"));
            Assert.Equal("done", shard.GetTagItem("samaudio.outcome"));
            Assert.True((double)shard.GetTagItem("samaudio.audio_seconds")! > 0);
            Assert.NotNull(shard.GetTagItem("samaudio.seconds.model"));
            var phases = _spans.Where(s => s.ParentSpanId == shard.SpanId).Select(s => s.DisplayName).ToList();
            Assert.Contains("separate", phases);
            Assert.Contains("stage", phases);
            Assert.Contains("assemble", phases);
        }

        Assert.Equal(shards.Count, HistogramCount("samaudio.worker.shard.duration"));
        Assert.Equal(shards.Count, HistogramCount("samaudio.worker.shard.realtime_factor"));
        Assert.Equal(shards.Count, HistogramCount("samaudio.worker.queue.wait"));
        Assert.Equal(5.0, Sum("samaudio.worker.audio.processed"), 3); // the whole 5 s recording, once
        Assert.DoesNotContain(_metrics, m => m.Name == "samaudio.worker.shard.failures");
    }

    [Fact]
    public async Task A_shard_that_fails_every_attempt_counts_a_retry_a_redelivery_and_a_poison_failure()
    {
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource(_name).AddInMemoryExporter(_spans).Build();
        using var metering = Sdk.CreateMeterProviderBuilder().AddMeter(_name).AddInMemoryExporter(_metrics).Build();
        var store = new MemoryWorkerStore { StagingFails = new IOException("no space left on device") };
        var item = TestJob.Plan(store, _folder.FullName).Items[0];
        await WorkQueueSender.SendAsync(_storage.Factory.CreateQueueClient(_storage.Options.CpuWorkQueue), [WorkItemJson.Serialize(item)]);

        using var telemetry = new WorkerTelemetry(_name);
        await RunWorkerAsync(store, telemetry, maxAttempts: 2, lease: TimeSpan.FromSeconds(4));
        metering.ForceFlush();

        var deliveries = _spans.Where(s => s.DisplayName == "process work item").OrderBy(s => s.StartTimeUtc).ToList();
        Assert.Equal(["retry", "failed"], deliveries.Select(s => (string)s.GetTagItem("samaudio.outcome")!));
        Assert.Equal(["retry", "poison"], deliveries.Select(s => (string)s.GetTagItem("samaudio.failure.kind")!));
        Assert.All(deliveries, s => Assert.Equal(ActivityStatusCode.Error, s.Status));
        Assert.All(deliveries, s => Assert.Contains(s.Events, e => e.Name == "exception"));
        Assert.Equal(1, Sum("samaudio.worker.shard.failures", ("samaudio.failure.kind", "retry")));
        Assert.Equal(1, Sum("samaudio.worker.shard.failures", ("samaudio.failure.kind", "poison")));
        Assert.Equal(1, Sum("samaudio.worker.shard.retries"));
        Assert.DoesNotContain(_metrics, m => m.Name == "samaudio.worker.audio.processed");
    }

    /// <summary>
    /// Drains the queue with one worker. The lease is long by default: on a loaded machine a 4 s lease lapsed before
    /// its renewal once, and the redelivered shard made a second span (a duplicate delivery, not what this tests).
    /// </summary>
    private async Task RunWorkerAsync(IWorkerStore store, WorkerTelemetry telemetry, int maxAttempts = 5, TimeSpan? lease = null)
    {
        var queue = _storage.Factory.CreateQueueClient(_storage.Options.CpuWorkQueue);
        var poison = _storage.Factory.CreateQueueClient(StorageOptions.PoisonQueueOf(_storage.Options.CpuWorkQueue));
        var options = new WorkerOptions
        {
            Connection = StorageConnection.FromConnectionString(_storage.Connection),
            Storage = _storage.Options,
            Queue = _storage.Options.CpuWorkQueue,
            Lease = lease ?? TimeSpan.FromSeconds(30),
            MaxAttempts = maxAttempts,
            Drain = true,
            TemporaryFolder = Path.Combine(_folder.FullName, "tmp"),
        };
        var lifetime = new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance);
        using var worker = new QueueWorker(queue, poison, store, options, new ModelCatalog([]), lifetime, NullLogger<QueueWorker>.Instance, telemetry);
        await worker.StartAsync(CancellationToken.None);
        await worker.ExecuteTask!.WaitAsync(TimeSpan.FromMinutes(2));
    }

    private Task<IngestResult> IngestAsync(string jobId) => OneItemJob.IngestAsync(_storage, _folder.FullName, jobId);

    private long HistogramCount(string name)
    {
        long count = 0;
        foreach (var point in Last(name).MetricPoints)
        {
            count += point.GetHistogramCount();
        }

        return count;
    }

    private double Sum(string name, (string Key, string Value)? tag = null)
    {
        var metric = Last(name);
        double sum = 0;
        foreach (var point in metric.MetricPoints)
        {
            bool matches = tag is not { } t;
            foreach (var pair in point.Tags)
            {
                matches |= tag is { } wanted && pair.Key == wanted.Key && (string?)pair.Value == wanted.Value;
            }

            if (matches)
            {
                sum += metric.MetricType is MetricType.LongSum ? point.GetSumLong() : point.GetSumDouble();
            }
        }

        return sum;
    }

    private MetricSnapshot Last(string name) => _metrics.Last(m => m.Name == name);
}
