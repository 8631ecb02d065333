using Microsoft.Extensions.Logging.Abstractions;
using SamAudio.Core.Manifests;
using SamAudio.Core.Provenance;
using SamAudio.Inference.Packs;
using SamAudio.Storage.Jobs;
using SamAudio.Storage.Sharding;
using SamAudio.Storage.WorkItems;
using SamAudio.Worker.Processing;

namespace SamAudio.Worker.Tests.Processing;

/// <summary>
/// The seed and steps a work item carries reach a flow-family model's output through the worker's engine provider:
/// the same seed gives the same bytes, another seed other bytes, and run.json records what was used.
/// </summary>
[Trait("Category", "Model")]
public sealed class FlowSamplerTests : IDisposable
{
    private static readonly string Models = Path.Combine(AppContext.BaseDirectory, "models", "testpacks");

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("samaudio-flow-sampler-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public async Task The_work_item_s_seed_reaches_the_output_and_run_json()
    {
        await using var engines = new EngineProvider(new ModelCatalog([Models]), NullLogger.Instance);

        var (seven, sevenRun) = await RunAsync(engines, seed: 7, steps: 2);
        var (again, _) = await RunAsync(engines, seed: 7, steps: 2);
        var (eight, eightRun) = await RunAsync(engines, seed: 8, steps: 2);
        var (moreSteps, stepsRun) = await RunAsync(engines, seed: 7, steps: 3);

        Assert.Equal(seven, again);
        Assert.NotEqual(seven, eight);
        Assert.NotEqual(seven, moreSteps);
        Assert.Equal((7, (int?)2), (sevenRun.Parameters!.Seed, sevenRun.Parameters.Steps));
        Assert.Equal("7", sevenRun.Model!.Sampler!["seed"]);
        Assert.Equal("8", eightRun.Model!.Sampler!["seed"]);
        Assert.Equal("3", stepsRun.Model!.Sampler!["steps"]);
        Assert.NotEqual(sevenRun.Fingerprint, eightRun.Fingerprint);
    }

    [Fact]
    public async Task An_engine_opened_for_another_seed_is_refused()
    {
        await using var engines = new EngineProvider(new ModelCatalog([Models]), NullLogger.Instance);
        var store = new MemoryWorkerStore();
        var item = Plan(store, seed: 1, steps: 2);
        var other = await engines.GetAsync(item with { Seed = 2 });
        var processor = new ShardProcessor(store, Path.Combine(_folder.FullName, "tmp-refused"), "test");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => processor.ProcessAsync(item, other, deliveries: 1));

        Assert.Contains("asks for seed 1, steps 2", error.Message, StringComparison.Ordinal);
    }

    private async Task<(byte[] Target, RunRecord Run)> RunAsync(EngineProvider engines, int seed, int steps)
    {
        var store = new MemoryWorkerStore();
        var item = Plan(store, seed, steps);
        var engine = await engines.GetAsync(item);
        var processor = new ShardProcessor(store, Path.Combine(_folder.FullName, $"tmp-{seed}-{steps}"), "test");

        Assert.Equal(ShardOutcome.Done, await processor.ProcessAsync(item, engine, deliveries: 1));

        var run = ProvenanceJson.Deserialize<RunRecord>(await store.ReadTextAsync("job/site/run.json") ?? "")!;
        Assert.Equal("completed", run.Status);
        return (store.Blobs["job/site/owl.target.wav"], run);
    }

    /// <summary>One work item: 0.9 s of a 48 kHz mono recording as one shard, for the tiny SAM-Audio pack.</summary>
    private WorkItem Plan(MemoryWorkerStore store, int seed, int steps)
    {
        string path = Path.Combine(_folder.FullName, "site.wav");
        TestRecording.Write(path, 48_000, 1, 0.9, seed: 3);
        var recording = store.AddRecording("site.wav", File.ReadAllBytes(path));
        var shard = Assert.Single(ShardPlanner.Plan(48_000, 43_200, null, null, TimeSpan.FromSeconds(60), 48_000, 2, 0.4));
        var item = new WorkItem
        {
            Id = WorkItemId.Create("\"m\"", 0, shard.Index),
            JobId = "job",
            ItemId = "site",
            ItemIndex = 0,
            Manifest = new BlobVersion("manifests", "job.json", "\"m\""),
            Recording = recording,
            Model = "sam-audio-tiny",
            Prompts = [new PromptSpec("owl", OutputMode.Target) { Slug = "owl" }],
            Channel = "mix",
            SegmentSeconds = 2,
            OverlapSeconds = 0.4,
            Seed = seed,
            Steps = steps,
            Shard = shard,
            Attempt = new AttemptInfo(1, 5),
        };
        store.Plan = new Storage.Jobs.JobRecord
        {
            JobId = "job",
            Status = JobState.Accepted,
            Manifest = item.Manifest,
            WorkItems = [new WorkItemEntry { Id = item.Id, ItemId = item.ItemId, ShardIndex = 0, ShardCount = 1 }],
        };
        store.AddBlob(item.Manifest, "{}"u8.ToArray());
        return item;
    }
}
