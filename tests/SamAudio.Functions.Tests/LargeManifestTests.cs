using System.Diagnostics;
using System.Text;
using SamAudio.Storage.Jobs;
using SamAudio.Storage.Tests;
using SamAudio.Storage.WorkItems;
using Xunit.Abstractions;

namespace SamAudio.Functions.Tests;

[Trait("Category", "Azurite")]
public sealed class LargeManifestTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Items = 1_000;
    private readonly FunctionsHarness _h = new(shardLength: TimeSpan.FromMinutes(10));

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _h.CleanUpAsync();

    [Fact]
    public async Task Manifest_of_1000_items_is_ingested_in_one_trigger_within_queue_message_limits()
    {
        var recordings = await _h.RecordingsAsync();
        var wav = BinaryData.FromBytes(TestWav.Create(16_000, 1, 1_600));
        await Parallel.ForEachAsync(Enumerable.Range(0, Items), new ParallelOptions { MaxDegreeOfParallelism = 16 },
            async (i, ct) => await recordings.UploadBlobAsync($"bulk/site-{i:D4}.wav", wav, ct));
        var json = TestManifests.Create("bulk-1000", Enumerable.Range(0, Items)
            .Select(i => TestManifests.Item($"site-{i:D4}", $"site-{i:D4}.wav", prompts: ["owl hooting", "rain on leaves", "wind noise"])).ToArray());
        var manifest = await _h.UploadManifestAsync("bulk/manifest.json", json);

        var clock = Stopwatch.StartNew();
        var messages = (await _h.Ingest.IngestAndSendAsync(manifest)).Messages.ToArray();
        var ingestAndSend = clock.Elapsed;

        var encoded = messages.Select(m => Convert.ToBase64String(Encoding.UTF8.GetBytes(m)).Length).ToList();
        output.WriteLine($"{Items} items ({json.Length} byte manifest): ingest and send {ingestAndSend.TotalSeconds:F2} s; " +
            $"message raw max {messages.Max(WorkItemJson.ByteCount)} B, Base64 max {encoded.Max()} B");
        Assert.Equal(Items, messages.Length);
        Assert.All(encoded, length => Assert.InRange(length, 1, 64 * 1024 - 1));
        Assert.Equal(Items, messages.Select(WorkItemJson.Deserialize).Select(w => w.Id).Distinct().Count());
        Assert.Equal(Items, await _h.QueueCountAsync());
        Assert.Equal(Items, (await _h.Jobs.GetAsync("bulk-1000"))!.Record.WorkItems.Count);
    }

    [Fact]
    public async Task Status_of_1000_items_in_several_shards_each_is_read_from_per_shard_markers_without_a_shared_blob()
    {
        // 1,000 items of one 25 s recording: four shards each on samaudio-mini's 8 s hop grid with 10 s shards.
        var h = new FunctionsHarness(shardLength: TimeSpan.FromSeconds(10));
        try
        {
            await (await h.RecordingsAsync()).UploadBlobAsync("bulk/site.wav", BinaryData.FromBytes(TestWav.Create(8_000, 1, 8_000 * 25)));
            var json = TestManifests.Create("bulk-shards", Enumerable.Range(0, Items).Select(i => TestManifests.Item($"site-{i:D4}", "site.wav")).ToArray());
            var manifest = await h.UploadManifestAsync("bulk/shards.json", json);

            var clock = Stopwatch.StartNew();
            var ingested = await h.Ingestor.IngestAsync(manifest);
            var ingest = clock.Elapsed;
            var workItems = ingested.WorkItems;
            Assert.Equal(4 * Items, workItems.Count);

            // What the workers write: each shard its own running and done markers (If-None-Match on done), never a
            // shared blob, so thousands of shards finishing together do not contend.
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = 32 };
            clock.Restart();
            await Parallel.ForEachAsync(workItems, parallel, async (w, ct) =>
                await h.Markers.MarkRunningAsync(ShardMarker.For(w, ShardState.Running, 1, DateTimeOffset.UtcNow), ct));
            var running = clock.Elapsed;
            var halfway = await TimedStatusAsync(h, "bulk-shards");
            clock.Restart();
            await Parallel.ForEachAsync(workItems, parallel, async (w, ct) => Assert.True(await h.Markers.TryMarkFinalAsync(
                ShardMarker.For(w, ShardState.Done, 1, DateTimeOffset.UtcNow) with { FinishedAt = DateTimeOffset.UtcNow, Seconds = 1, AudioSeconds = w.Shard.AudioSeconds ?? 0 }, ct)));
            var done = clock.Elapsed;
            var finished = await TimedStatusAsync(h, "bulk-shards");

            output.WriteLine($"{Items} items, {workItems.Count} shards: ingest {ingest.TotalSeconds:F1} s; {workItems.Count} running markers in " +
                $"{running.TotalSeconds:F1} s, {workItems.Count} done markers in {done.TotalSeconds:F1} s (32 writers); status read {halfway.Seconds:F2} s " +
                $"with every shard running, {finished.Seconds:F2} s with every shard done");
            Assert.Equal((0, 4 * Items, 0), (halfway.Report.WorkItems.Pending, halfway.Report.WorkItems.Running, halfway.Report.WorkItems.Done));
            Assert.Equal((4 * Items, Items), (finished.Report.WorkItems.Done, finished.Report.Items.Running)); // assembled only when run.json exists
            Assert.Equal(Items * 25.0, Math.Round(finished.Report.Audio.ProcessedSeconds, 6));
        }
        finally
        {
            await h.CleanUpAsync();
        }
    }

    private static async Task<(JobStatusReport Report, double Seconds)> TimedStatusAsync(FunctionsHarness h, string jobId)
    {
        var clock = Stopwatch.StartNew();
        var report = await new JobStatusReader(h.Storage.Blobs.GetBlobContainerClient(h.Options.JobContainer)).ReadAsync(jobId);
        return (report!, clock.Elapsed.TotalSeconds);
    }
}
