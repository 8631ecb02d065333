using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using SamAudio.Storage.Tests;
using SamAudio.Storage.WorkItems;

namespace SamAudio.Functions.Tests;

[Trait("Category", "Azurite")]
public sealed class JobStatusTests : IAsyncLifetime
{
    private readonly FunctionsHarness _h = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _h.CleanUpAsync();

    [Fact]
    public async Task Status_counts_items_and_work_items_by_state_and_lists_outputs()
    {
        var recordings = await _h.RecordingsAsync();
        foreach (var name in new[] { "a.wav", "b.wav", "c.wav" })
            await recordings.UploadBlobAsync(name, BinaryData.FromBytes(TestWav.Create(8_000, 1, 8_000 * 15)));
        var messages = await _h.TriggerIngestAsync(await _h.UploadManifestAsync("counts.json", TestManifests.Create("counts", "a.wav", "b.wav", "c.wav", "a.wav")));
        var items = messages.Select(WorkItemJson.Deserialize).ToDictionary(w => (w.ItemIndex, w.Shard.Index));
        // 4 items x 2 shards. item-0: done; item-1: one shard done, one running; item-2: one failed, one pending; item-3: untouched.
        await _h.Jobs.MarkDoneAsync("counts", items[(0, 0)].Id, ["jobs/counts/item-0/wind-noise.target.wav"]);
        await _h.Jobs.MarkDoneAsync("counts", items[(0, 1)].Id, ["jobs/counts/item-0/wind-noise.target.wav"]);
        await _h.Jobs.MarkDoneAsync("counts", items[(1, 0)].Id, ["jobs/counts/item-1/wind-noise.target.wav"]);
        await _h.Jobs.MarkRunningAsync("counts", items[(1, 1)].Id);
        await _h.Jobs.MarkFailedAsync("counts", items[(2, 0)].Id, "decoder error");

        var result = Assert.IsType<ContentResult>(await _h.Status.RunAsync(new DefaultHttpContext().Request, "counts"));

        Assert.Equal((200, "application/json"), (result.StatusCode, result.ContentType));
        using var doc = JsonDocument.Parse(result.Content!);
        Assert.Equal((1, 1, 1, 1), Counts(doc.RootElement.GetProperty("items")));
        Assert.Equal((3, 1, 3, 1), Counts(doc.RootElement.GetProperty("workItems")));
        Assert.Equal(["jobs/counts/item-0/wind-noise.target.wav", "jobs/counts/item-1/wind-noise.target.wav"],
            doc.RootElement.GetProperty("outputs").EnumerateArray().Select(o => o.GetString()));
        Assert.Equal("running", doc.RootElement.GetProperty("job").GetProperty("status").GetString());
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

    private static (int Pending, int Running, int Done, int Failed) Counts(JsonElement e) =>
        (e.GetProperty("pending").GetInt32(), e.GetProperty("running").GetInt32(), e.GetProperty("done").GetInt32(), e.GetProperty("failed").GetInt32());
}
