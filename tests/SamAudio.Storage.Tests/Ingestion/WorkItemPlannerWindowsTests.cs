using SamAudio.Core.Manifests;
using SamAudio.Storage.Ingestion;
using SamAudio.Storage.Sharding;
using SamAudio.Storage.WorkItems;

namespace SamAudio.Storage.Tests.Ingestion;

/// <summary>
/// An item that sets no windows gets the model pack's preferred ones at ingestion: the shard grid is planned on them
/// and every work item carries them, so the worker uses exactly the windows the grid assumed.
/// </summary>
[Trait("Category", "Azurite")]
public sealed class WorkItemPlannerWindowsTests : IAsyncLifetime
{
    private readonly TestStorage _storage = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _storage.CleanUpAsync();

    [Fact]
    public async Task Items_without_windows_are_planned_and_sent_with_the_pack_s_preferred_windows()
    {
        var options = _storage.Options with { ShardLength = TimeSpan.FromSeconds(10) };

        var plan = await PlanAsync(40, options, """
            { "schema": "samaudio.manifest/v1", "jobId": "w", "model": "wide",
              "items": [ { "id": "pack", "recording": "a.wav", "prompts": ["owl"] },
                         { "id": "short", "recording": "a.wav", "prompts": ["owl"], "segmentSeconds": 1.5 } ] }
            """);

        Assert.Empty(plan.Errors);
        var pack = plan.Items.Where(w => w.ItemId == "pack").ToList();
        Assert.All(pack, w => Assert.Equal((4.0, 1.0), (w.SegmentSeconds, w.OverlapSeconds)));
        Assert.Equal(
            ShardPlanner.Plan(16_000, 16_000 * 40, null, null, options.ShardLength, 16_000, 4, 1).Select(s => (s.StartSample, s.EndSample)),
            pack.Select(w => (w.Shard.StartSample, w.Shard.EndSample)));
        Assert.NotEqual(
            ShardPlanner.Plan(16_000, 16_000 * 40, null, null, options.ShardLength, 16_000, 10, 2).Select(s => (s.StartSample, s.EndSample)),
            pack.Select(w => (w.Shard.StartSample, w.Shard.EndSample)));
        Assert.All(plan.Items.Where(w => w.ItemId == "short"), w => Assert.Equal((1.5, 0.75), (w.SegmentSeconds, w.OverlapSeconds)));
    }

    [Fact]
    public async Task An_overlap_over_half_of_the_pack_s_window_is_an_error_at_the_item()
    {
        var plan = await PlanAsync(5, _storage.Options, """
            { "schema": "samaudio.manifest/v1", "jobId": "w", "model": "wide",
              "items": [ { "id": "a", "recording": "a.wav", "prompts": ["owl"], "overlapSeconds": 3 } ] }
            """);

        Assert.Empty(plan.Items);
        var error = Assert.Single(plan.Errors);
        Assert.Equal("$.items[0].overlapSeconds", error.Path);
        Assert.Contains("more than half of model 'wide''s preferred window of 4 s", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Background_suppression_travels_with_every_work_item_of_the_item_that_asks_for_it()
    {
        var plan = await PlanAsync(25, _storage.Options with { ShardLength = TimeSpan.FromSeconds(10) }, """
            { "schema": "samaudio.manifest/v1", "jobId": "w", "model": "wide",
              "items": [ { "id": "field", "recording": "a.wav", "prompts": ["owl"], "background": "suppress" },
                         { "id": "plain", "recording": "a.wav", "prompts": ["owl"] } ] }
            """);

        Assert.Empty(plan.Errors);
        Assert.True(plan.Items.Count(w => w.ItemId == "field") > 1, "the recording is planned in several shards");
        Assert.All(plan.Items.Where(w => w.ItemId == "field"), w => Assert.Equal("suppress", w.Background));
        Assert.All(plan.Items.Where(w => w.ItemId == "plain"), w => Assert.Null(w.Background));
    }

    /// <summary>Uploads a mono 16 kHz job/a.wav of <paramref name="seconds"/> to Azurite and plans the manifest over it.</summary>
    private async Task<WorkPlan> PlanAsync(int seconds, StorageOptions options, string manifestJson)
    {
        var recordings = await _storage.ContainerAsync(options.RecordingContainer);
        await recordings.UploadBlobAsync("job/a.wav", BinaryData.FromBytes(TestWav.Create(16_000, 1, 16_000 * seconds)));
        return await new WorkItemPlanner(recordings, options, Profiles()).PlanAsync(Parse(manifestJson), new BlobVersion("m", "job/manifest.json", "\"1\""));
    }

    private static ModelProfiles Profiles() => new([new ModelProfile("wide", "mask", 16_000, 4, 1)]);

    private static Manifest Parse(string json)
    {
        var result = ManifestReader.Parse(json);
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        return result.Manifest!;
    }
}
