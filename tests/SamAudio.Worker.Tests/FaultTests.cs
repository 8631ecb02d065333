using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging.Abstractions;
using SamAudio.Core.Manifests;
using SamAudio.Core.Pipeline;
using SamAudio.Inference;
using SamAudio.Storage;
using SamAudio.Storage.Ingestion;
using SamAudio.Storage.Jobs;
using SamAudio.Storage.Submission;
using SamAudio.Storage.Tests;

namespace SamAudio.Worker.Tests;

/// <summary>
/// Replicas are preempted and killed; whatever happens to them, every output appears once and is the bytes of an
/// uninterrupted local run. Real worker processes on Azurite, killed with SIGKILL or stopped with SIGTERM.
/// </summary>
public sealed class FaultTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private const string Manifest = """
        { "schema": "samaudio.manifest/v1", "jobId": "faults", "model": "samaudio-mini",
          "defaults": { "prompts": [ { "text": "an owl hooting", "output": "both" } ] },
          "items": [ { "id": "long", "recording": "long.wav" }, { "id": "stereo", "recording": "stereo.wav" } ] }
        """;

    private readonly TestStorage _storage = new();
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("samaudio-faults-");
    private StorageOptions _options = null!;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _storage.CleanUpAsync();
        _folder.Delete(recursive: true);
    }

    [Fact]
    public async Task Ten_SIGKILLs_at_random_moments_leave_every_output_once_and_identical_to_an_uninterrupted_run()
    {
        // SAMAUDIO_FAULT_KILLS raises the count for a longer run by hand (docs/benchmarks.md has one with 30).
        int killCount = int.TryParse(Environment.GetEnvironmentVariable("SAMAUDIO_FAULT_KILLS"), out var k) ? k : 10;
        string manifestPath = await PrepareAsync();
        var random = new Random(20261201); // fixed: the same kill times on every CI run
        var workers = new List<WorkerProcess> { StartWorker(), StartWorker() };
        int kills = 0;
        try
        {
            while (kills < killCount)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(random.Next(300, 2_500)));
                var running = workers.Where(w => !w.HasExited).ToList();
                if (running.Count == 0)
                {
                    break; // the job finished before all kills were spent
                }

                running[random.Next(running.Count)].KillNow();
                kills++;
                workers.Add(StartWorker());
            }

            foreach (var worker in workers.Where(w => !w.HasExited))
            {
                Assert.True(await worker.WaitAsync(TimeSpan.FromMinutes(5)) == 0, worker.Output);
            }
        }
        finally
        {
            workers.ForEach(w => w.Dispose());
        }

        Assert.True(kills >= Math.Min(5, killCount), $"only {kills} kills landed before the job finished; the test should kill mid-job");
        await AssertCompletedAndIdenticalAsync(manifestPath);
        var done = (await new ShardMarkerStore(_storage.Blobs.GetBlobContainerClient(_options.JobContainer)).ListAsync("faults"))
            .Where(m => m.State == ShardState.Done).ToList();
        output.WriteLine($"{kills} kills; deliveries of the done shards: {string.Join(' ', done.Select(m => m.Deliveries))}");
        Assert.Contains(done, m => m.Deliveries >= 2); // some kill hit a shard in flight, and it was redone
    }

    [Fact]
    public async Task SIGTERM_releases_the_shard_at_once_and_another_worker_completes_it()
    {
        string manifestPath = await PrepareAsync();
        var queue = _storage.Factory.CreateQueueClient(_options.CpuWorkQueue);
        using (var first = StartWorker())
        {
            Assert.True(await first.WaitForOutputAsync("started (delivery", TimeSpan.FromMinutes(1)), first.Output);
            await Task.Delay(300); // into the shard
            first.Terminate();
            Assert.True(await first.WaitAsync(TimeSpan.FromSeconds(30)) == 0, first.Output);

            // Visible again within a second of the exit: not after the 60 s lease.
            var again = await queue.ReceiveMessagesAsync(32, TimeSpan.FromSeconds(1));
            Assert.Contains(again.Value, m => m.DequeueCount == 1);
        }

        await Task.Delay(TimeSpan.FromSeconds(1.5)); // what was just received becomes visible again
        using (var second = StartWorker())
        {
            Assert.True(await second.WaitAsync(TimeSpan.FromMinutes(5)) == 0, second.Output);
        }

        await AssertCompletedAndIdenticalAsync(manifestPath);
    }

    /// <summary>An 8-minute 48 kHz recording in 48 s shards and a short stereo one, ingested and queued.</summary>
    private async Task<string> PrepareAsync()
    {
        TestRecording.Write(Path.Combine(_folder.FullName, "long.wav"), 48_000, 1, 8 * 60, seed: 5);
        TestRecording.Write(Path.Combine(_folder.FullName, "stereo.wav"), 44_100, 2, 30, seed: 6);
        string manifestPath = Path.Combine(_folder.FullName, "faults.json");
        await File.WriteAllTextAsync(manifestPath, Manifest);
        _options = _storage.Options with { ShardLength = TimeSpan.FromSeconds(48) };
        var submitted = await new ManifestSubmitter(_storage.Blobs, _options).SubmitAsync(manifestPath);
        var ingested = await new ManifestIngestor(_storage.Blobs, _options).IngestAsync(submitted.ManifestBlob!);
        Assert.Equal(IngestOutcome.Accepted, ingested.Outcome);
        await WorkQueueSender.SendAsync(_storage.Factory.CreateQueueClient(ingested.Queue!), ingested.Messages);
        return manifestPath;
    }

    private WorkerProcess StartWorker() => WorkerProcess.Start(ProcessSettings.Worker(_storage, _options, leaseSeconds: 6), "--drain");

    private async Task AssertCompletedAndIdenticalAsync(string manifestPath)
    {
        var jobs = _storage.Blobs.GetBlobContainerClient(_options.JobContainer);
        var report = (await new JobStatusReader(jobs).ReadAsync("faults"))!;
        Assert.Equal(JobState.Completed, report.State);
        Assert.Empty(report.Failures);
        Assert.Equal(0, (await _storage.Factory.CreateQueueClient(StorageOptions.PoisonQueueOf(_options.CpuWorkQueue)).ExistsAsync()).Value
            ? (await _storage.Factory.CreateQueueClient(StorageOptions.PoisonQueueOf(_options.CpuWorkQueue)).GetPropertiesAsync()).Value.ApproximateMessagesCount : 0);

        // Each shard has one done marker, and each output one blob.
        var names = new List<string>();
        await foreach (var blob in jobs.GetBlobsAsync(BlobTraits.None, BlobStates.None, "faults/", CancellationToken.None))
        {
            names.Add(blob.Name);
        }

        Assert.Equal(report.WorkItems.Done, names.Count(n => n.EndsWith(".done.json", StringComparison.Ordinal)));
        Assert.True(report.WorkItems.Done >= 11, $"{report.WorkItems.Done} shards");

        string local = Path.Combine(_folder.FullName, "local");
        var manifest = (await ManifestReader.ReadFileAsync(manifestPath)).Manifest!;
        await using (var engine = await ModelEngines.OpenAsync("samaudio-mini", new InferenceOptions(), NullLogger.Instance))
        {
            Assert.Equal("completed", (await new BatchRunner(engine).RunAsync(manifest, manifestPath, new BatchOptions { OutputRoot = local })).Status);
        }

        var expected = Directory.GetFiles(Path.Combine(local, "faults"), "*", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) is not ("run.json" or "job.json")).ToList();
        Assert.Equal(8, expected.Count); // per item: target, residual, activity table, selections
        foreach (var file in expected)
        {
            string name = "faults/" + Path.GetRelativePath(Path.Combine(local, "faults"), file).Replace('\\', '/');
            byte[] stored = (await jobs.GetBlobClient(name).DownloadContentAsync()).Value.Content.ToArray();
            Assert.True(File.ReadAllBytes(file).AsSpan().SequenceEqual(stored), $"{name} differs from the uninterrupted run");
        }
    }
}
