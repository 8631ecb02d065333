using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Trace;
using SamAudio.Storage;
using SamAudio.Storage.Ingestion;
using SamAudio.Storage.Tests;

namespace SamAudio.Worker.Tests.Telemetry;

/// <summary>
/// A real <c>samaudio-worker</c> process with <c>SamAudioTelemetry=otlp</c> exports to an OTLP/HTTP receiver what a
/// collector would get: one span per work item linked to the ingestion's trace, the Azure SDK's storage calls as
/// children of the worker's spans (never as traces of their own), the shard metrics, and log records in the shard's trace.
/// </summary>
public sealed class OtlpExportTests : IAsyncLifetime
{
    private readonly TestStorage _storage = new();
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("samaudio-otlp-");
    private readonly List<Activity> _ingestionSpans = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _storage.CleanUpAsync();
        _folder.Delete(recursive: true);
    }

    [Fact]
    public async Task The_worker_exports_linked_shard_spans_azure_calls_inside_them_metrics_and_logs_over_otlp()
    {
        string jobId = $"otlp-{Guid.NewGuid():N}"[..16];
        var ingested = await IngestAsync(jobId);
        var ingestion = Assert.Single(_ingestionSpans, s => (string?)s.GetTagItem("samaudio.job.id") == jobId);
        await WorkQueueSender.SendAsync(_storage.Factory.CreateQueueClient(ingested.Queue!), ingested.Messages);

        using var receiver = new OtlpReceiver();
        var settings = ProcessSettings.Worker(_storage, _storage.Options);
        settings["SamAudioTelemetry"] = "otlp";
        settings["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{receiver.Port}";
        settings["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        using (var worker = WorkerProcess.Start(settings, "--drain"))
        {
            Assert.True(await worker.WaitAsync(TimeSpan.FromMinutes(2)) == 0, worker.Output); // exit flushes every signal
        }

        var spans = receiver.Bodies("/v1/traces").SelectMany(OtlpMessages.Spans).ToList();
        var shards = spans.Where(s => s.Scope == "SamAudio.Worker" && s.Name == "process work item").ToList();
        Assert.Equal(ingested.WorkItems.Select(w => w.Id).Order(StringComparer.Ordinal),
            shards.Select(s => s.Attributes["samaudio.work_item.id"]).Order(StringComparer.Ordinal));
        byte[] ingestionTrace = Convert.FromHexString(ingestion.TraceId.ToHexString());
        foreach (var shard in shards)
        {
            Assert.Empty(shard.ParentSpanId); // a trace of its own...
            Assert.Equal(ingestionTrace, Assert.Single(shard.LinkTraceIds)); // ...linked to the ingestion that planned it
            Assert.Equal(jobId, shard.Attributes["samaudio.job.id"]);
            Assert.Equal("done", shard.Attributes["samaudio.outcome"]);
        }

        var shardTraces = shards.Select(s => Convert.ToHexString(s.TraceId)).ToHashSet(StringComparer.Ordinal);
        var azure = spans.Where(s => s.Scope.StartsWith("Azure.", StringComparison.Ordinal)).ToList();
        Assert.Contains(azure, s => s.Name.StartsWith("BlockBlobClient.StageBlock", StringComparison.Ordinal)); // the shard's staging
        Assert.All(azure, s => Assert.NotEmpty(s.ParentSpanId)); // the idle receives are not exported as traces of their own
        Assert.All(azure, s => Assert.Contains(Convert.ToHexString(s.TraceId), shardTraces));

        var metrics = receiver.Bodies("/v1/metrics").SelectMany(OtlpMessages.MetricNames).ToHashSet(StringComparer.Ordinal);
        Assert.Superset(
            new HashSet<string>(["samaudio.worker.shard.duration", "samaudio.worker.shard.realtime_factor", "samaudio.worker.queue.wait", "samaudio.worker.audio.processed"]),
            metrics);

        var logs = receiver.Bodies("/v1/logs").SelectMany(OtlpMessages.Logs).ToList();
        var started = logs.Where(l => l.Body.Contains("started (delivery", StringComparison.Ordinal)).ToList();
        Assert.Equal(shards.Count, started.Count);
        Assert.All(started, l => Assert.Contains(Convert.ToHexString(l.TraceId), shardTraces)); // in the shard's trace
    }

    /// <summary>Ingests <see cref="OneItemJob"/>, recording the ingestion span (whose trace the work items carry).</summary>
    private async Task<IngestResult> IngestAsync(string jobId)
    {
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource(IngestionTelemetry.SourceName).AddInMemoryExporter(_ingestionSpans).Build();
        var ingested = await OneItemJob.IngestAsync(_storage, _folder.FullName, jobId);
        Assert.True(ingested.WorkItems.Count >= 2, $"{ingested.WorkItems.Count} work items");
        return ingested;
    }
}
