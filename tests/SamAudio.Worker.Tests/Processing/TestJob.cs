using SamAudio.Core.Manifests;
using SamAudio.Storage.Jobs;
using SamAudio.Storage.Sharding;
using SamAudio.Storage.WorkItems;

namespace SamAudio.Worker.Tests.Processing;

/// <summary>The work items of one item as ingestion plans them, over a recording held by a <see cref="MemoryWorkerStore"/>.</summary>
internal static class TestJob
{
    private const string ManifestETag = "\"manifest-1\"";

    /// <summary>A 40 s stereo 44.1 kHz recording from 1.5 s on, in shards of about 9 s on the 1.5 s hop grid.</summary>
    public static (List<WorkItem> Items, string RecordingPath) Plan(MemoryWorkerStore store, string folder)
    {
        string path = Path.Combine(folder, "site.wav");
        TestRecording.Write(path, 44_100, 2, 40, seed: 3);
        var recording = store.AddRecording("site.wav", File.ReadAllBytes(path));
        var shards = ShardPlanner.Plan(44_100, 44_100 * 40, TimeSpan.FromSeconds(1.5), null, TimeSpan.FromSeconds(9), 16_000, 2, 0.5);
        var items = shards.Select(shard => new WorkItem
        {
            Id = WorkItemId.Create(ManifestETag, 0, shard.Index),
            JobId = "job",
            ItemId = "site",
            ItemIndex = 0,
            Manifest = new BlobVersion("manifests", "job.json", ManifestETag),
            Recording = recording,
            Model = "passthrough",
            Prompts = [new PromptSpec("an owl hooting", OutputMode.Both), new PromptSpec("rain", OutputMode.Target)],
            Channel = "mix",
            SegmentSeconds = 2,
            OverlapSeconds = 0.5,
            Start = TimeSpan.FromSeconds(1.5),
            Shard = shard,
            Attempt = new AttemptInfo(1, 5),
        }).ToList();
        store.Plan = new Storage.Jobs.JobRecord
        {
            JobId = "job",
            Status = JobState.Accepted,
            Manifest = items[0].Manifest,
            WorkItems = items.Select(w => new WorkItemEntry { Id = w.Id, ItemId = w.ItemId, ShardIndex = w.Shard.Index, ShardCount = w.Shard.Count }).ToList(),
        };
        store.AddBlob(items[0].Manifest, "{}"u8.ToArray()); // the manifest, hashed into job.json
        return (items, path);
    }

}
