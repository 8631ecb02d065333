using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using SamAudio.Storage.Jobs;
using SamAudio.Storage.Tests;
using SamAudio.Storage.WorkItems;

namespace SamAudio.Functions.Tests;

[Trait("Category", "Azurite")]
public sealed class JobStatusTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 5, 1, 20, 0, 0, TimeSpan.Zero);
    private readonly FunctionsHarness _h = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _h.CleanUpAsync();

    [Fact]
    public async Task Status_reports_states_audio_speed_eta_and_failures_from_markers_and_run_records()
    {
        var recordings = await _h.RecordingsAsync();
        foreach (var name in new[] { "a.wav", "b.wav", "c.wav" })
            await recordings.UploadBlobAsync(name, BinaryData.FromBytes(TestWav.Create(8_000, 1, 8_000 * 15)));
        var messages = await _h.TriggerIngestAsync(await _h.UploadManifestAsync("counts.json", TestManifests.Create("counts", "a.wav", "b.wav", "c.wav", "a.wav")));
        var items = messages.Select(WorkItemJson.Deserialize).ToDictionary(w => (w.ItemIndex, w.Shard.Index));
        // 4 items of 15 s x 2 shards. item-0: done and assembled; item-1: one shard done, one running; item-2: one failed,
        // one pending; item-3: untouched. Three shards of 7.5 s done within 15 s of wall time: 1.5x real time.
        await DoneAsync(items[(0, 0)], T0, T0.AddSeconds(10));
        await DoneAsync(items[(0, 1)], T0.AddSeconds(5), T0.AddSeconds(15));
        await DoneAsync(items[(1, 0)], T0, T0.AddSeconds(12));
        await _h.Markers.MarkRunningAsync(Marker(items[(1, 1)], ShardState.Running, T0.AddSeconds(12)));
        Assert.True(await _h.Markers.TryMarkFinalAsync(Marker(items[(2, 0)], ShardState.Failed, T0) with { Error = "decoder error", Deliveries = 5 }));
        await _h.Storage.Blobs.GetBlobContainerClient(_h.Options.JobContainer).GetBlobClient("counts/item-0/run.json").UploadAsync(BinaryData.FromString("{}"));

        var result = Assert.IsType<ContentResult>(await _h.Status.RunAsync(new DefaultHttpContext().Request, "counts"));

        Assert.Equal((200, "application/json"), (result.StatusCode, result.ContentType));
        using var doc = JsonDocument.Parse(result.Content!);
        var root = doc.RootElement;
        Assert.Equal(("counts", "running"), (root.GetProperty("jobId").GetString(), root.GetProperty("state").GetString()));
        Assert.Equal((1, 1, 1, 1), Counts(root.GetProperty("items")));
        Assert.Equal((3, 1, 3, 1), Counts(root.GetProperty("workItems")));
        var audio = root.GetProperty("audio");
        double remaining = Seconds(items[(1, 1)]) + Seconds(items[(2, 1)]) + 15;
        Assert.Equal(4 * 15.0, audio.GetProperty("plannedSeconds").GetDouble(), 6);
        Assert.Equal(3 * 7.5, audio.GetProperty("processedSeconds").GetDouble(), 6);
        Assert.Equal(1.5, audio.GetProperty("realTimeFactor").GetDouble(), 6);
        Assert.Equal(remaining / 1.5, audio.GetProperty("etaSeconds").GetDouble(), 6);
        var failure = Assert.Single(root.GetProperty("failures").EnumerateArray().ToList());
        Assert.Equal(("item-2", items[(2, 0)].Id, "decoder error"),
            (failure.GetProperty("itemId").GetString(), failure.GetProperty("workItemId").GetString(), failure.GetProperty("error").GetString()));
    }

    [Theory]
    [InlineData("no-such-job")]
    [InlineData("..")]
    [InlineData("a%2Fb")]
    public async Task Unknown_or_malformed_job_id_is_404(string jobId)
    {
        var result = await _h.Status.RunAsync(new DefaultHttpContext().Request, jobId);

        Assert.Equal(404, Assert.IsType<NotFoundObjectResult>(result).StatusCode);
    }

    private static double Seconds(WorkItem w) => (w.Shard.EndSample!.Value - w.Shard.StartSample) / 8_000.0;

    private static ShardMarker Marker(WorkItem w, ShardState state, DateTimeOffset started) => new()
    {
        JobId = w.JobId, WorkItemId = w.Id, ItemId = w.ItemId, ShardIndex = w.Shard.Index, ShardCount = w.Shard.Count,
        State = state, AudioSeconds = 7.5, Deliveries = 1, StartedAt = started,
    };

    private async Task DoneAsync(WorkItem w, DateTimeOffset started, DateTimeOffset finished) =>
        Assert.True(await _h.Markers.TryMarkFinalAsync(Marker(w, ShardState.Done, started) with { FinishedAt = finished }));

    private static (int Pending, int Running, int Done, int Failed) Counts(JsonElement e) =>
        (e.GetProperty("pending").GetInt32(), e.GetProperty("running").GetInt32(), e.GetProperty("done").GetInt32(), e.GetProperty("failed").GetInt32());
}
