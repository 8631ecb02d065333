using Microsoft.Extensions.Logging.Abstractions;
using SamAudio.Core.Manifests;
using SamAudio.Core.Pipeline;
using SamAudio.Inference;
using SamAudio.Storage;
using SamAudio.Storage.Ingestion;
using SamAudio.Storage.Submission;
using SamAudio.Storage.Tests;

namespace SamAudio.Worker.Tests;

/// <summary>
/// The steps the end-to-end tests share: the local <c>samaudio batch</c> run the stored outputs are compared with, the
/// cloud path up to the queue (submit, ingest, send), worker processes that drain it, and <c>samaudio fetch</c>.
/// </summary>
internal static class CloudRun
{
    /// <summary>Runs the manifest locally with <paramref name="model"/> into <paramref name="outputRoot"/>; the job must complete.</summary>
    public static async Task LocalBatchAsync(string model, string manifestPath, string outputRoot)
    {
        var manifest = (await ManifestReader.ReadFileAsync(manifestPath)).Manifest!;
        await using var engine = await ModelEngines.OpenAsync(model, new InferenceOptions(), NullLogger.Instance);
        var job = await new BatchRunner(engine).RunAsync(manifest, manifestPath, new BatchOptions { OutputRoot = outputRoot });
        Assert.Equal("completed", job.Status);
    }

    /// <summary>Submits and ingests the manifest (it must be accepted) and sends its work items to their queue.</summary>
    public static async Task<IngestResult> SubmitAndQueueAsync(TestStorage storage, StorageOptions options, string manifestPath)
    {
        var submitted = await new ManifestSubmitter(storage.Blobs, options).SubmitAsync(manifestPath);
        Assert.Empty(submitted.Errors);
        var ingested = await new ManifestIngestor(storage.Blobs, options).IngestAsync(submitted.ManifestBlob!);
        Assert.Equal(IngestOutcome.Accepted, ingested.Outcome);
        await WorkQueueSender.SendAsync(storage.Factory.CreateQueueClient(ingested.Queue!), ingested.Messages);
        return ingested;
    }

    /// <summary>Starts <paramref name="count"/> workers with <c>--drain</c> and waits for each to exit 0; returns their output.</summary>
    public static async Task<List<string>> DrainAsync(TestStorage storage, StorageOptions options, int count, TimeSpan timeout)
    {
        var workers = Enumerable.Range(0, count).Select(_ => WorkerProcess.Start(ProcessSettings.Worker(storage, options), "--drain")).ToList();
        try
        {
            foreach (var worker in workers)
            {
                Assert.True(await worker.WaitAsync(timeout) == 0, worker.Output);
            }

            return workers.Select(w => w.Output).ToList();
        }
        finally
        {
            workers.ForEach(w => w.Dispose());
        }
    }

    /// <summary>Runs <c>samaudio fetch</c> for the job into <paramref name="folder"/>; it must exit 0.</summary>
    public static async Task FetchAsync(TestStorage storage, StorageOptions options, string jobId, string folder)
    {
        using var fetch = WorkerProcess.Start("samaudio", ProcessSettings.Cli(storage, options), "fetch", jobId, "--out", folder, "--quiet");
        Assert.True(await fetch.WaitAsync(TimeSpan.FromMinutes(2)) == 0, fetch.Output);
    }
}
