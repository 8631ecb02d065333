using SamAudio.Core.Dsp;
using SamAudio.Core.Pipeline;
using SamAudio.Core.Provenance;
using SamAudio.Core.Separation;
using SamAudio.Storage.Jobs;
using SamAudio.Storage.WorkItems;
using SamAudio.Worker.Processing;

namespace SamAudio.Worker.Tests.Processing;

/// <summary>
/// The worker's core without storage: work items of one recording, processed in any order and more than once,
/// give the files a local run writes, and nothing becomes visible that is not complete.
/// </summary>
public sealed class ShardProcessorTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("samaudio-shards-");
    private readonly MemoryWorkerStore _store = new();
    private readonly PassThroughEngine _engine = new(16_000, segmentSeconds: 2, overlapSeconds: 0.5);

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public async Task Shards_processed_in_any_order_assemble_into_the_local_run_s_files()
    {
        var (items, recordingPath) = Plan();
        Assert.True(items.Count >= 4, $"{items.Count} shards");
        var local = await LocalRunAsync(recordingPath);
        var processor = new ShardProcessor(_store, Path.Combine(_folder.FullName, "tmp"), "test");

        var outcomes = new List<ShardOutcome>();
        foreach (var item in items.AsEnumerable().Reverse())
        {
            Assert.False(_store.Blobs.ContainsKey("job/site/run.json"), "nothing is complete before the last shard");
            outcomes.Add(await processor.ProcessAsync(item, _engine, deliveries: 1));
        }

        Assert.All(outcomes, o => Assert.Equal(ShardOutcome.Done, o));
        AssertStoredAsLocal(local, "the local run");

        var run = ProvenanceJson.Deserialize<RunRecord>(await _store.ReadTextAsync("job/site/run.json") ?? "")!;
        var localRun = ProvenanceJson.Deserialize<RunRecord>(File.ReadAllText(Path.Combine(local, "run.json")))!;
        Assert.Equal("completed", run.Status);
        Assert.Equal(localRun.Input!.Sha256, run.Input!.Sha256);
        Assert.Equal(localRun.Outputs.Select(o => (o.Path, o.Sha256)), run.Outputs.Select(o => (o.Path, o.Sha256)));
        Assert.Equal(items.Count, run.Shards!.Count);
        Assert.Equal(ProvenanceJson.Machine.Processors, run.Machine!.Processors);
        Assert.Equal(ProvenanceJson.Machine.VectorExtensions, run.Machine.VectorExtensions);
        Assert.True(_store.Blobs.ContainsKey("job/job.json"), "the job summary is written once its only item is done");
    }

    [Fact]
    public async Task Faithful_shards_assemble_into_the_local_faithful_run_s_files_and_run_json_says_faithful()
    {
        var (items, recordingPath) = Plan();
        items = items.Select(i => i with { Faithful = true }).ToList();
        var local = await LocalRunAsync(recordingPath, faithful: true);
        await ProcessAllAsync(items);

        AssertStoredAsLocal(local, "the local faithful run");

        var run = ProvenanceJson.Deserialize<RunRecord>(await _store.ReadTextAsync("job/site/run.json") ?? "")!;
        Assert.Equal("faithful", run.Parameters!.Mode);
        Assert.Equal("faithful", ProvenanceJson.Deserialize<RunRecord>(File.ReadAllText(Path.Combine(local, "run.json")))!.Parameters!.Mode);
    }

    [Fact]
    public async Task Shards_with_the_background_suppressed_assemble_into_the_local_run_s_files_and_run_json_records_it()
    {
        // Each window's background is estimated from that window alone, so shards give the bytes of the whole run.
        var (items, recordingPath) = Plan();
        items = items.Select(i => i with { Background = "suppress" }).ToList();
        var local = await LocalRunAsync(recordingPath, background: BackgroundSuppressionOptions.Default);
        var kept = await LocalRunAsync(recordingPath, folder: "kept");
        await ProcessAllAsync(items);

        AssertStoredAsLocal(local, "the local run");

        Assert.False(
            File.ReadAllBytes(Path.Combine(local, "an-owl-hooting.target.wav")).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(kept, "an-owl-hooting.target.wav"))),
            "the suppressed target is the kept one");
        var run = ProvenanceJson.Deserialize<RunRecord>(await _store.ReadTextAsync("job/site/run.json") ?? "")!;
        Assert.Equal(BackgroundSuppressionOptions.Default, run.Parameters!.Background);
    }

    [Fact]
    public void A_background_this_worker_does_not_know_fails_the_item_with_what_to_do()
    {
        var (items, _) = Plan();

        var error = Assert.Throws<InvalidDataException>(() => WorkItemShards.Background(items[0] with { Background = "louder" }));

        Assert.Contains("background 'louder'", error.Message);
        Assert.Null(WorkItemShards.Background(items[0]));
    }

    [Fact]
    public async Task A_duplicate_delivery_of_a_done_shard_redoes_nothing()
    {
        var (items, _) = Plan();
        var processor = new ShardProcessor(_store, Path.Combine(_folder.FullName, "tmp"), "test");
        await processor.ProcessAsync(items[1], _engine, deliveries: 1);
        int staged = _store.StagedBlocks;

        var outcome = await processor.ProcessAsync(items[1], _engine, deliveries: 2);

        Assert.Equal(ShardOutcome.AlreadyDone, outcome);
        Assert.Equal(staged, _store.StagedBlocks);
    }

    [Fact]
    public async Task Assembly_refuses_blocks_that_are_gone_and_leaves_the_item_unfinished()
    {
        var (items, _) = Plan();
        var processor = new ShardProcessor(_store, Path.Combine(_folder.FullName, "tmp"), "test");
        foreach (var item in items.Skip(1))
        {
            await processor.ProcessAsync(item, _engine, deliveries: 1);
        }

        _store.DropStagedBlocks(1);
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => processor.ProcessAsync(items[0], _engine, deliveries: 1));

        Assert.Contains("s000001b", error.Message);
        Assert.False(_store.Blobs.ContainsKey("job/site/run.json"));
    }

    [Fact]
    public async Task A_delivery_after_the_shard_s_record_reuses_its_staged_blocks_and_the_item_is_the_local_run()
    {
        var (items, recordingPath) = Plan();
        var local = await LocalRunAsync(recordingPath);
        var processor = new ShardProcessor(_store, Path.Combine(_folder.FullName, "tmp"), "test");
        _store.DoneMarkerFailsOnce = true;
        await Assert.ThrowsAsync<IOException>(() => processor.ProcessAsync(items[1], _engine, deliveries: 1));
        Assert.True(_store.Blobs.ContainsKey(ShardResult.BlobName("job", items[1].Id)), "the record was stored before the marker");
        int staged = _store.StagedBlocks;

        var outcome = await processor.ProcessAsync(items[1], _engine, deliveries: 2);

        Assert.Equal(ShardOutcome.Reused, outcome);
        Assert.Equal(staged, _store.StagedBlocks);
        Assert.True(await _store.Markers.ExistsAsync("job", items[1].Id, ShardState.Done));
        foreach (var item in items.Where(i => i.Id != items[1].Id))
        {
            Assert.Equal(ShardOutcome.Done, await processor.ProcessAsync(item, _engine, deliveries: 1));
        }

        foreach (var file in Directory.GetFiles(local).Where(f => Path.GetFileName(f) != "run.json"))
        {
            Assert.True(File.ReadAllBytes(file).AsSpan().SequenceEqual(_store.Blobs[$"job/site/{Path.GetFileName(file)}"]), $"{Path.GetFileName(file)} differs from the local run");
        }
    }

    [Fact]
    public async Task A_record_whose_blocks_are_gone_proves_nothing_and_the_shard_is_separated_again()
    {
        var (items, _) = Plan();
        var processor = new ShardProcessor(_store, Path.Combine(_folder.FullName, "tmp"), "test");
        _store.DoneMarkerFailsOnce = true;
        await Assert.ThrowsAsync<IOException>(() => processor.ProcessAsync(items[1], _engine, deliveries: 1));
        _store.DropStagedBlocks(items[1].Shard.Index);
        int staged = _store.StagedBlocks;

        var outcome = await processor.ProcessAsync(items[1], _engine, deliveries: 2);

        Assert.Equal(ShardOutcome.Done, outcome);
        Assert.True(_store.StagedBlocks > staged, "the shard's blocks were staged again");
    }

    [Fact]
    public async Task A_record_made_by_another_model_proves_nothing_and_the_shard_is_separated_again()
    {
        var (items, _) = Plan();
        var processor = new ShardProcessor(_store, Path.Combine(_folder.FullName, "tmp"), "test");
        _store.DoneMarkerFailsOnce = true;
        await Assert.ThrowsAsync<IOException>(() => processor.ProcessAsync(items[1], _engine, deliveries: 1));
        int staged = _store.StagedBlocks;

        var outcome = await processor.ProcessAsync(items[1], new OtherVersion(_engine), deliveries: 2);

        Assert.Equal(ShardOutcome.Done, outcome);
        Assert.True(_store.StagedBlocks > staged, "the shard's blocks were staged again");
        var record = System.Text.Json.JsonSerializer.Deserialize<ShardResult>(
            (await _store.ReadTextAsync(ShardResult.BlobName("job", items[1].Id)))!, WorkerJson.Options)!;
        Assert.Equal("2-other", record.Model.Version);
    }

    [Fact]
    public async Task Assembly_refuses_committed_bytes_that_differ_from_a_shard_s_record()
    {
        var (items, _) = Plan();
        var processor = new ShardProcessor(_store, Path.Combine(_folder.FullName, "tmp"), "test");
        foreach (var item in items.Skip(1))
        {
            await processor.ProcessAsync(item, _engine, deliveries: 1);
        }

        _store.CorruptStagedBlocks(2); // the same block names and sizes, other bytes
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => processor.ProcessAsync(items[0], _engine, deliveries: 1));

        Assert.Contains("shard 3's piece has SHA-256", error.Message);
        Assert.False(_store.Blobs.ContainsKey("job/site/run.json"), "the item never completes");
    }

    [Fact]
    public async Task A_recording_that_changed_since_ingestion_fails_with_a_reason()
    {
        var (items, _) = Plan();
        var changed = items[0] with { Recording = items[0].Recording with { ETag = "\"another-version\"" } };
        var processor = new ShardProcessor(_store, Path.Combine(_folder.FullName, "tmp"), "test");

        var error = await Assert.ThrowsAsync<RecordingUnavailableException>(() => processor.ProcessAsync(changed, _engine, deliveries: 1));

        Assert.Contains("changed", error.Message);
        Assert.False(await _store.Markers.ExistsAsync("job", changed.Id, ShardState.Done));
    }

    /// <summary>The same separation under another model version: its blocks would be other bytes in general.</summary>
    private sealed class OtherVersion(ISeparationEngine inner) : ISeparationEngine
    {
        public EngineDescription Description { get; } = inner.Description with { Version = "2-other" };

        public ValueTask<PromptBatch> EncodePromptsAsync(IReadOnlyList<string> prompts, CancellationToken cancellationToken = default) =>
            inner.EncodePromptsAsync(prompts, cancellationToken);

        public ValueTask SeparateAsync(ReadOnlyMemory<float> window, PromptBatch prompts, Memory<float> targets, Memory<float> residuals, CancellationToken cancellationToken = default) =>
            inner.SeparateAsync(window, prompts, targets, residuals, cancellationToken);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private async Task ProcessAllAsync(IEnumerable<WorkItem> items)
    {
        var processor = new ShardProcessor(_store, Path.Combine(_folder.FullName, "tmp"), "test");
        foreach (var item in items)
        {
            Assert.Equal(ShardOutcome.Done, await processor.ProcessAsync(item, _engine, deliveries: 1));
        }
    }

    /// <summary>Every output file of the local run in <paramref name="local"/> (run.json aside) is stored, byte for byte.</summary>
    private void AssertStoredAsLocal(string local, string what)
    {
        foreach (var file in Directory.GetFiles(local).Where(f => Path.GetFileName(f) != "run.json"))
        {
            byte[] stored = _store.Blobs[$"job/site/{Path.GetFileName(file)}"];
            Assert.True(File.ReadAllBytes(file).AsSpan().SequenceEqual(stored), $"{Path.GetFileName(file)} differs from {what}");
        }
    }

    private (List<WorkItem> Items, string RecordingPath) Plan() => TestJob.Plan(_store, _folder.FullName);

    private async Task<string> LocalRunAsync(string recordingPath, bool faithful = false, BackgroundSuppressionOptions? background = null, string folder = "local")
    {
        var request = new SeparationRequest
        {
            JobId = "job",
            ItemId = "site",
            RecordingPath = recordingPath,
            RecordingLabel = "site.wav",
            Prompts = [new ItemPrompt("an owl hooting", "an-owl-hooting", true, true), new ItemPrompt("rain", "rain", true, false)],
            Start = TimeSpan.FromSeconds(1.5),
            SegmentSeconds = 2,
            OverlapSeconds = 0.5,
            Faithful = faithful,
            Background = background,
            OutputFolder = Path.Combine(_folder.FullName, folder),
            Fingerprint = "local",
        };
        var record = await new RecordingSeparator(_engine).RunAsync(request);
        Assert.Equal("completed", record.Status);
        return request.OutputFolder;
    }
}
