using System.Text;
using Azure.Storage.Queues;
using SamAudio.Storage;
using SamAudio.Storage.Ingestion;
using SamAudio.Storage.Jobs;
using SamAudio.Storage.Submission;
using SamAudio.Storage.Tests;

namespace SamAudio.Worker.Tests;

/// <summary>
/// Every bad message ends in a stated state, and the rest of the job completes: real worker processes on Azurite,
/// with the pass-through model so that the faults, not the separation, take the time.
/// </summary>
public sealed class BadMessageTests : IAsyncLifetime
{
    private readonly TestStorage _storage = new();
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("samaudio-bad-");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _storage.CleanUpAsync();
        _folder.Delete(recursive: true);
    }

    [Fact]
    public async Task Malformed_messages_go_to_the_poison_queue_and_the_job_still_completes()
    {
        var ingested = await IngestAsync("clean", ["a"]);
        var queue = _storage.Factory.CreateQueueClient(ingested.Queue!);
        await WorkQueueSender.SendAsync(queue, ingested.Messages);
        var raw = new QueueClient(_storage.Connection, ingested.Queue!); // no encoding: what another producer might send
        await raw.SendMessageAsync("this is not base64 %%%");
        await WorkQueueSender.SendAsync(queue, ["not json at all", """{ "schema": "someone.else/v9", "id": "x" }"""]);

        await RunWorkerAsync();

        Assert.Equal(0, await CountAsync(queue));
        var poisoned = await DrainAsync(_storage.Factory.CreateQueueClient(StorageOptions.PoisonQueueOf(ingested.Queue!)));
        Assert.Equal(3, poisoned.Count);
        Assert.Contains("this is not base64 %%%", poisoned); // kept as it arrived
        Assert.Contains("not json at all", poisoned);
        Assert.True(await ExistsAsync("clean/job.json"), "the job's good work items completed");
    }

    [Fact]
    public async Task Recordings_deleted_or_changed_since_ingestion_fail_their_items_with_a_reason_and_the_job_ends()
    {
        var ingested = await IngestAsync("faults", ["kept", "deleted", "changed"]);
        var recordings = _storage.Blobs.GetBlobContainerClient(_storage.Options.RecordingContainer);
        await recordings.DeleteBlobAsync("deleted.wav");
        await recordings.GetBlobClient("changed.wav").UploadAsync(BinaryData.FromBytes(TestWav.Create(16_000, 1, 16_000 * 3)), overwrite: true);
        await WorkQueueSender.SendAsync(_storage.Factory.CreateQueueClient(ingested.Queue!), ingested.Messages);

        await RunWorkerAsync();

        var report = (await new JobStatusReader(_storage.Blobs.GetBlobContainerClient(_storage.Options.JobContainer)).ReadAsync("faults"))!;
        Assert.Equal(JobState.CompletedWithFailures, report.State);
        Assert.Equal((1, 2), (report.Items.Done, report.Items.Failed));
        Assert.Contains(report.Failures, f => f.ItemId == "deleted" && f.Error.Contains("no longer exists", StringComparison.Ordinal));
        Assert.Contains(report.Failures, f => f.ItemId == "changed" && f.Error.Contains("has changed since the manifest was ingested", StringComparison.Ordinal));
        string summary = Encoding.UTF8.GetString((await _storage.Blobs.GetBlobContainerClient(_storage.Options.JobContainer)
            .GetBlobClient("faults/job.json").DownloadContentAsync()).Value.Content.ToArray());
        Assert.Contains("completed_with_failures", summary);
    }

    [Fact]
    public async Task A_work_item_for_a_model_no_worker_has_fails_its_item_with_the_model_named()
    {
        var ingested = await IngestAsync("models", ["known", "unknown"]);
        var messages = ingested.Messages.Select(m => m.Contains("\"itemId\":\"unknown\"", StringComparison.Ordinal)
            ? m.Replace("\"model\":\"passthrough\"", "\"model\":\"samaudio-nonexistent\"", StringComparison.Ordinal) : m).ToList();
        Assert.Single(messages, m => m.Contains("samaudio-nonexistent", StringComparison.Ordinal));
        await WorkQueueSender.SendAsync(_storage.Factory.CreateQueueClient(ingested.Queue!), messages);

        await RunWorkerAsync();

        var report = (await new JobStatusReader(_storage.Blobs.GetBlobContainerClient(_storage.Options.JobContainer)).ReadAsync("models"))!;
        Assert.Equal(JobState.CompletedWithFailures, report.State);
        Assert.Equal((1, 1), (report.Items.Done, report.Items.Failed));
        var failure = Assert.Single(report.Failures);
        Assert.Equal("unknown", failure.ItemId);
        Assert.Contains("samaudio-nonexistent", failure.Error, StringComparison.Ordinal);
        var poisoned = await DrainAsync(_storage.Factory.CreateQueueClient(StorageOptions.PoisonQueueOf(ingested.Queue!)));
        Assert.Single(poisoned); // the failure record, once: the model does not appear on a retry
    }

    [Fact]
    public async Task A_flac_whose_audio_does_not_match_its_md5_fails_its_item_and_nothing_is_committed()
    {
        var altered = TestFlac.Create(16_000, 1, 16_000 * 5);
        altered[30] ^= 0x01; // STREAMINFO's MD5 (bytes 26-41): the audio no longer matches what the encoder recorded
        var ingested = await IngestAsync("md5", ["good", "altered"], new() { ["altered"] = altered }, TimeSpan.FromSeconds(1.5));
        Assert.InRange(ingested.WorkItems.Count(w => w.ItemId == "altered"), 2, 5); // sharded: FLAC is entered by ranged reads
        await WorkQueueSender.SendAsync(_storage.Factory.CreateQueueClient(ingested.Queue!), ingested.Messages);

        await RunWorkerAsync();

        var report = (await new JobStatusReader(_storage.Blobs.GetBlobContainerClient(_storage.Options.JobContainer)).ReadAsync("md5"))!;
        Assert.Equal((JobState.CompletedWithFailures, 1, 1), (report.State, report.Items.Done, report.Items.Failed));
        var failure = Assert.Single(report.Failures);
        Assert.Equal("altered", failure.ItemId);
        Assert.Contains("does not match the MD5", failure.Error, StringComparison.Ordinal);
        Assert.False(await ExistsAsync("md5/altered/a-tone.target.wav"), "no output of the altered recording is visible");
        Assert.True(await ExistsAsync("md5/good/a-tone.target.wav"));
    }

    /// <summary>Submits and ingests a job of 5-second WAV items, or FLAC ones where <paramref name="flac"/> gives their bytes.</summary>
    private async Task<IngestResult> IngestAsync(string jobId, string[] items, Dictionary<string, byte[]>? flac = null, TimeSpan? shardLength = null)
    {
        string File(string item) => flac?.ContainsKey(item) == true ? item + ".flac" : item + ".wav";
        foreach (var item in items)
        {
            await System.IO.File.WriteAllBytesAsync(Path.Combine(_folder.FullName, File(item)),
                flac?.GetValueOrDefault(item) ?? TestWav.Create(16_000, 1, 16_000 * 5));
        }

        string manifest = Path.Combine(_folder.FullName, jobId + ".json");
        await System.IO.File.WriteAllTextAsync(manifest, $$"""
            { "schema": "samaudio.manifest/v1", "jobId": "{{jobId}}", "model": "passthrough",
              "defaults": { "prompts": ["a tone"], "segmentSeconds": 2, "overlapSeconds": 0.5 },
              "items": [ {{string.Join(", ", items.Select(i => $$"""{ "id": "{{i}}", "recording": "{{File(i)}}" }"""))}} ] }
            """);
        var options = _storage.Options with { ShardLength = shardLength ?? _storage.Options.ShardLength };
        var submitted = await new ManifestSubmitter(_storage.Blobs, options).SubmitAsync(manifest);
        Assert.Empty(submitted.Errors);
        var ingested = await new ManifestIngestor(_storage.Blobs, options).IngestAsync(submitted.ManifestBlob!);
        Assert.Equal(IngestOutcome.Accepted, ingested.Outcome);
        return ingested;
    }

    private async Task RunWorkerAsync()
    {
        using var worker = WorkerProcess.Start(ProcessSettings.Worker(_storage, _storage.Options), "--drain");
        int exit = await worker.WaitAsync(TimeSpan.FromMinutes(3));
        Assert.True(exit == 0, worker.Output);
    }

    private async Task<bool> ExistsAsync(string blob) =>
        (await _storage.Blobs.GetBlobContainerClient(_storage.Options.JobContainer).GetBlobClient(blob).ExistsAsync()).Value;

    private static async Task<int> CountAsync(QueueClient queue) => (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount;

    private static async Task<List<string>> DrainAsync(QueueClient queue)
    {
        var bodies = new List<string>();
        foreach (var message in (await queue.ReceiveMessagesAsync(32)).Value)
        {
            bodies.Add(message.Body.ToString());
        }

        return bodies;
    }
}
