using System.Diagnostics;
using System.Text;
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
}
