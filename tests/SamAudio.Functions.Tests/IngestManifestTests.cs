using System.Text.Json;
using SamAudio.Storage.Ingestion;
using SamAudio.Storage.Jobs;
using SamAudio.Storage.Tests;
using SamAudio.Storage.WorkItems;

namespace SamAudio.Functions.Tests;

[Trait("Category", "Azurite")]
public sealed class IngestManifestTests : IAsyncLifetime
{
    private readonly FunctionsHarness _h = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _h.CleanUpAsync();

    [Fact]
    public async Task Valid_manifest_enqueues_exactly_the_expected_base64_messages()
    {
        var recordings = await _h.RecordingsAsync();
        await recordings.UploadBlobAsync("survey/short.wav", BinaryData.FromBytes(TestWav.Create(8_000, 1, 8_000 * 3)));
        await recordings.UploadBlobAsync("survey/long.wav", BinaryData.FromBytes(TestWav.Create(8_000, 2, 8_000 * 25)));
        await recordings.UploadBlobAsync("survey/night.flac", BinaryData.FromString("fLaC not really"));
        await recordings.UploadBlobAsync("survey/dawn.flac", BinaryData.FromBytes(TestFlac.Create(8_000, 1, 8_000 * 25)));
        var manifest = await _h.UploadManifestAsync("survey/job.json", TestManifests.Create("survey-1", [
            TestManifests.Item("short", "short.wav"),
            TestManifests.Item("long", "long.wav", prompts: ["owl hooting", "rain on leaves"]),
            TestManifests.Item("night", "night.flac"),
            TestManifests.Item("dawn", "dawn.flac")]));
        var etag = (await manifest.GetPropertiesAsync()).Value.ETag.ToString();

        var returned = await _h.TriggerIngestAsync(manifest);

        var received = await _h.ReadQueueAsync();
        Assert.Equal(returned.Order(), received.Order());
        var wire = await _h.PeekWireAsync();
        Assert.All(wire, w => Assert.Contains(FunctionsHarness.Decode(w), returned));
        var items = received.Select(WorkItemJson.Deserialize).OrderBy(w => w.Id, StringComparer.Ordinal).ToList();
        // short: one shard; long: 25 s at 8 kHz with samaudio-mini's 10 s windows and 2 s overlap: shards on the 8 s hop grid
        // (10 s shards round down to one hop), 16 s of context on each side (a hop, the overlap and the resamplers'
        // reach before; a window and their reach after, in whole hops), clamped to the item; a FLAC of the same length
        // (STREAMINFO read by a ranged read) gets the same shards; a file that only starts like FLAC: one whole shard.
        Assert.Equal([
            ("short", 0, (long?)0, (long?)24_000, 0L, 0L),
            ("long", 0, 0, 64_000, 0, 128_000),
            ("long", 1, 64_000, 128_000, 64_000, 72_000),
            ("long", 2, 128_000, 192_000, 128_000, 8_000),
            ("long", 3, 192_000, 200_000, 128_000, 0),
            ("night", 0, 0, null, 0, 0),
            ("dawn", 0, 0, 64_000, 0, 128_000),
            ("dawn", 1, 64_000, 128_000, 64_000, 72_000),
            ("dawn", 2, 128_000, 192_000, 128_000, 8_000),
            ("dawn", 3, 192_000, 200_000, 128_000, 0)],
            items.Select(w => (w.ItemId, w.Shard.Index, (long?)w.Shard.StartSample, w.Shard.EndSample, w.Shard.ContextBeforeSamples, w.Shard.ContextAfterSamples)));
        Assert.All(items, w => Assert.Equal(WorkItemId.Create(etag, w.ItemIndex, w.Shard.Index), w.Id));
        Assert.All(items, w => Assert.Equal(new AttemptInfo(1, _h.Options.MaxAttempts), w.Attempt));
        Assert.All(items, w => Assert.Equal(("survey-1", "samaudio-mini", etag, "survey/job.json"), (w.JobId, w.Model, w.Manifest.ETag, w.Manifest.Name)));
        Assert.Equal(["owl hooting", "rain on leaves"], items[1].Prompts.Select(p => p.Text));
        Assert.Equal("survey/long.wav", items[1].Recording.Name);

        var record = (await _h.Jobs.GetAsync("survey-1"))!.Record;
        Assert.Equal(JobState.Accepted, record.Status);
        Assert.Equal(items.Select(w => w.Id), record.WorkItems.Select(w => w.Id).Order(StringComparer.Ordinal));
        Assert.Contains(record.Warnings, w => w.Contains("night.flac", StringComparison.Ordinal) && w.Contains("one shard", StringComparison.Ordinal));
        // The shards of a WAV or FLAC item add up to its duration; a recording whose header is unreadable has no known length.
        Assert.Equal([("dawn", (double?)25), ("long", 25), ("night", null), ("short", 3)], record.WorkItems.GroupBy(w => w.ItemId).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Any(w => w.AudioSeconds is null) ? null : (double?)Math.Round(g.Sum(w => w.AudioSeconds!.Value), 6))));
    }

    [Fact]
    public async Task Retriggering_the_same_manifest_version_adds_nothing()
    {
        var recordings = await _h.RecordingsAsync();
        await recordings.UploadBlobAsync("a.wav", BinaryData.FromBytes(TestWav.Create(8_000, 1, 8_000 * 15)));
        var manifest = await _h.UploadManifestAsync("again.json", TestManifests.Create("again", "a.wav"));
        var first = await _h.TriggerIngestAsync(manifest);
        var recordETag = (await _h.Jobs.GetAsync("again"))!.ETag;

        var second = await _h.TriggerIngestAsync(manifest);
        var third = await _h.Ingestor.IngestAsync(manifest);

        Assert.Equal(2, first.Length);
        Assert.Empty(second);
        Assert.Equal(IngestOutcome.AlreadyIngested, third.Outcome);
        Assert.Equal(2, await _h.QueueCountAsync());
        Assert.Equal(recordETag, (await _h.Jobs.GetAsync("again"))!.ETag);
    }

    [Fact]
    public async Task Resend_pending_returns_only_the_work_items_not_yet_started()
    {
        await (await _h.RecordingsAsync()).UploadBlobAsync("a.wav", BinaryData.FromBytes(TestWav.Create(8_000, 1, 8_000 * 25)));
        var manifest = await _h.UploadManifestAsync("lost.json", TestManifests.Create("lost", "a.wav"));
        var first = await _h.Ingestor.IngestAsync(manifest);
        await _h.Markers.MarkRunningAsync(Marker(first.WorkItems[0], ShardState.Running));
        await _h.Markers.MarkRunningAsync(Marker(first.WorkItems[1], ShardState.Running));
        await _h.Markers.TryMarkFinalAsync(Marker(first.WorkItems[1], ShardState.Done));

        var resend = await _h.Ingestor.ResendPendingAsync(manifest);

        Assert.Equal(IngestOutcome.AlreadyIngested, resend.Outcome);
        Assert.InRange(first.Messages.Count, 3, int.MaxValue);
        Assert.Equal(first.Messages.Skip(2), resend.Messages);
    }

    [Fact]
    public async Task Concurrent_triggers_for_one_version_send_one_set_of_messages()
    {
        await (await _h.RecordingsAsync()).UploadBlobAsync("a.wav", BinaryData.FromBytes(TestWav.Create(8_000, 1, 8_000)));
        var manifest = await _h.UploadManifestAsync("race.json", TestManifests.Create("race", "a.wav"));

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => _h.Ingestor.IngestAsync(manifest)));

        Assert.Single(results, r => r.Outcome == IngestOutcome.Accepted);
        Assert.Equal(3, results.Count(r => r.Outcome == IngestOutcome.AlreadyIngested));
    }

    [Fact]
    public async Task Missing_recordings_are_each_reported_and_nothing_is_sent()
    {
        await (await _h.RecordingsAsync()).UploadBlobAsync("there.wav", BinaryData.FromBytes(TestWav.Create(8_000, 1, 800)));
        var manifest = await _h.UploadManifestAsync("missing.json", TestManifests.Create("missing", "there.wav", "gone-1.wav", "gone-2.wav"));

        var messages = await _h.TriggerIngestAsync(manifest);

        Assert.Empty(messages);
        Assert.Equal(0, await _h.QueueCountAsync());
        var report = await ReadErrorsAsync("missing.json");
        Assert.Equal(["$.items[1].recording", "$.items[2].recording"], report.EnumerateArray().Select(e => e.GetProperty("path").GetString()));
        Assert.Equal(JobState.Rejected, (await _h.Jobs.GetAsync("missing"))!.Record.Status);
    }

    [Fact]
    public async Task Oversize_manifest_is_rejected_without_being_parsed()
    {
        var json = TestManifests.Create("huge", "a.wav");
        var padded = json.Insert(1, new string(' ', SamAudio.Core.Manifests.ManifestLimits.Default.MaxManifestBytes));
        var manifest = await _h.UploadManifestAsync("huge.json", padded);

        var messages = await _h.TriggerIngestAsync(manifest);

        Assert.Empty(messages);
        var error = Assert.Single((await ReadErrorsAsync("huge.json")).EnumerateArray());
        Assert.Contains("limit", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(JobState.Rejected, (await _h.Jobs.GetAsync("huge"))!.Record.Status);
        Assert.Equal(0, await _h.QueueCountAsync());
    }

    [Fact]
    public async Task Fixed_manifest_after_a_rejection_is_accepted_and_its_errors_report_removed()
    {
        var manifest = await _h.UploadManifestAsync("late.json", TestManifests.Create("late", "late.wav"));
        Assert.Empty(await _h.TriggerIngestAsync(manifest));
        await (await _h.RecordingsAsync()).UploadBlobAsync("late.wav", BinaryData.FromBytes(TestWav.Create(8_000, 1, 800)));

        var messages = await _h.TriggerIngestAsync(manifest);

        Assert.Single(messages);
        Assert.False((await (await _h.ManifestsAsync()).GetBlobClient("late.json" + ManifestIngestor.ErrorReportSuffix).ExistsAsync()).Value);
        Assert.Equal(JobState.Accepted, (await _h.Jobs.GetAsync("late"))!.Record.Status);
    }

    [Fact]
    public async Task Another_manifest_version_for_a_live_job_is_rejected_and_the_job_untouched()
    {
        await (await _h.RecordingsAsync()).UploadBlobAsync("a.wav", BinaryData.FromBytes(TestWav.Create(8_000, 1, 800)));
        var manifest = await _h.UploadManifestAsync("live.json", TestManifests.Create("live", "a.wav"));
        await _h.TriggerIngestAsync(manifest);
        var before = (await _h.Jobs.GetAsync("live"))!.ETag;

        var changed = await _h.UploadManifestAsync("live.json", TestManifests.Create("live", "a.wav", "a.wav"));
        var messages = await _h.TriggerIngestAsync(changed);

        Assert.Empty(messages);
        Assert.Equal("$.jobId", Assert.Single((await ReadErrorsAsync("live.json")).EnumerateArray()).GetProperty("path").GetString());
        Assert.Equal(before, (await _h.Jobs.GetAsync("live"))!.ETag);
        Assert.Equal(1, await _h.QueueCountAsync());
    }

    [Fact]
    public async Task Errors_report_blob_triggering_the_function_is_ignored()
    {
        var report = await _h.UploadManifestAsync("x.json" + ManifestIngestor.ErrorReportSuffix, "{}");

        Assert.Empty((await _h.Ingest.IngestAndSendAsync(report)).Messages);
        Assert.Equal(IngestOutcome.Ignored, (await _h.Ingestor.IngestAsync(report)).Outcome);
    }

    private static ShardMarker Marker(WorkItem w, ShardState state) => new()
    {
        JobId = w.JobId, WorkItemId = w.Id, ItemId = w.ItemId, ShardIndex = w.Shard.Index, ShardCount = w.Shard.Count,
        State = state, StartedAt = DateTimeOffset.UtcNow, FinishedAt = state == ShardState.Running ? null : DateTimeOffset.UtcNow,
    };

    private async Task<JsonElement> ReadErrorsAsync(string manifestName)
    {
        var blob = (await _h.ManifestsAsync()).GetBlobClient(manifestName + ManifestIngestor.ErrorReportSuffix);
        var content = (await blob.DownloadContentAsync()).Value.Content;
        using var doc = JsonDocument.Parse(content.ToMemory());
        return doc.RootElement.GetProperty("errors").Clone();
    }
}
