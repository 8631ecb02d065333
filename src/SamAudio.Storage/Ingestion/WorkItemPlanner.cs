using Azure.Storage.Blobs;
using SamAudio.Core.Audio;
using SamAudio.Core.Manifests;
using SamAudio.Core.Segmentation;
using SamAudio.Storage.Sharding;
using SamAudio.Storage.WorkItems;

namespace SamAudio.Storage.Ingestion;

/// <summary>Work items for a valid manifest, or the errors that stop it.</summary>
internal sealed record WorkPlan(IReadOnlyList<WorkItem> Items, IReadOnlyList<string> Messages,
    IReadOnlyList<ManifestError> Errors, IReadOnlyList<string> Warnings, string? Queue = null);

/// <summary>
/// Turns a validated manifest into work items: checks every recording blob (exists, ETag, size, expected hash),
/// reads WAV and FLAC headers for the duration, splits long ranges into shards and serializes each message.
/// </summary>
internal sealed class WorkItemPlanner(BlobContainerClient recordings, StorageOptions options, ModelProfiles? models = null)
{
    /// <summary>Plans the work of <paramref name="manifest"/>, read from <paramref name="manifestVersion"/>.</summary>
    public async Task<WorkPlan> PlanAsync(Manifest manifest, BlobVersion manifestVersion, CancellationToken cancellationToken = default)
    {
        var prefix = FolderOf(manifestVersion.Name);
        var infos = new RecordingInfo?[manifest.Items.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.IngestConcurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, manifest.Items.Count), parallel, async (i, ct) =>
            infos[i] = await RecordingInspector.InspectAsync(recordings, prefix + manifest.Items[i].Recording, ct).ConfigureAwait(false))
            .ConfigureAwait(false);

        var items = new List<WorkItem>();
        var messages = new List<string>();
        var errors = new List<ManifestError>();
        var warnings = new List<string>();
        var profiles = models ?? ModelProfiles.Default;
        if (profiles.Find(manifest.Model) is not { } model)
        {
            errors.Add(new("$.model", $"Model '{manifest.Model}' is not installed where ingestion runs (known: {string.Join(", ", profiles.Ids.Order(StringComparer.Ordinal))}); name one of those."));
            return new WorkPlan(items, messages, errors, warnings);
        }

        for (var i = 0; i < manifest.Items.Count; i++)
        {
            var item = manifest.Items[i];
            var path = $"$.items[{i}]";
            if (infos[i] is not { } info)
            {
                errors.Add(new($"{path}.recording",
                    $"Recording '{item.Recording}' was not found: no blob '{prefix}{item.Recording}' in container '{recordings.Name}'. Upload it (samaudio submit does) and ingest again."));
                continue;
            }
            if (item.Sha256 is { } expected && info.Sha256 is { } actual && !string.Equals(expected, actual, StringComparison.OrdinalIgnoreCase))
            {
                errors.Add(new($"{path}.sha256", $"The manifest expects SHA-256 {expected} but blob '{info.Version.Name}' was uploaded with SHA-256 {actual}."));
                continue;
            }
            // The windows are resolved here, against the pack's preference where the item sets none, and carried in
            // every work item: the shard grid is planned on exactly these, so the worker must use them too.
            var windows = SegmentationOptions.Resolve(item.SegmentSeconds, item.OverlapSeconds, model.SegmentSeconds, model.OverlapSeconds);
            if (windows.OverlapSeconds > windows.SegmentSeconds / 2)
            {
                errors.Add(new($"{path}.overlapSeconds",
                    $"'overlapSeconds' {windows.OverlapSeconds} is more than half of model '{model.Id}''s preferred window of {windows.SegmentSeconds} s; use at most {windows.SegmentSeconds / 2} or set segmentSeconds."));
                continue;
            }
            var shards = PlanShards(item, windows, info, model, path, errors, warnings);
            foreach (var shard in shards)
            {
                var workItem = Build(manifest, i, manifestVersion, info.Version, shard, windows);
                var message = WorkItemJson.Serialize(workItem);
                if (WorkItemJson.ByteCount(message) > WorkItemJson.MaxMessageBytes)
                {
                    errors.Add(new(path, $"The item's work message would be {WorkItemJson.ByteCount(message)} bytes; the limit is {WorkItemJson.MaxMessageBytes}. Use fewer or shorter prompts."));
                    break;
                }
                items.Add(workItem);
                messages.Add(message);
            }
        }
        return new WorkPlan(items, messages, errors, warnings, options.QueueOf(model.Pool));
    }

    /// <summary>The virtual folder of a blob name, with a trailing slash (empty at the container root).</summary>
    public static string FolderOf(string blobName)
    {
        var slash = blobName.LastIndexOf('/');
        return slash < 0 ? "" : blobName[..(slash + 1)];
    }

    private IReadOnlyList<ShardRange> PlanShards(ManifestItem item, (double SegmentSeconds, double OverlapSeconds) windows, RecordingInfo info, ModelProfile model,
        string path, List<ManifestError> errors, List<string> warnings)
    {
        if (info.Header is not { } header)
        {
            warnings.Add($"{path}: recording '{info.Version.Name}' is neither WAV nor FLAC ({info.NoHeaderReason}); its duration is unknown at ingestion, so it is processed as one shard.");
            return [ShardPlanner.Whole()];
        }
        if (header is not { Frames: { } frames, Duration: { } duration })
        {
            warnings.Add($"{path}: FLAC recording '{info.Version.Name}' does not record its length (its encoder wrote to a pipe); it is processed as one shard.");
            return [ShardPlanner.Whole()];
        }
        if (item.End is { } end && end > duration)
            warnings.Add($"{path}: end {end} is past the end of recording '{info.Version.Name}' ({duration}); the range stops at the recording's end.");
        try
        {
            return ShardPlanner.Plan(header.SampleRate, frames, item.Start, item.End, options.ShardLength,
                model.SampleRate, windows.SegmentSeconds, windows.OverlapSeconds, model.SolveReachWindows(item.Steps));
        }
        catch (ArgumentOutOfRangeException)
        {
            errors.Add(new($"{path}.start",
                $"The range {item.Start ?? TimeSpan.Zero}-{item.End?.ToString() ?? "end"} holds no audio: recording '{info.Version.Name}' lasts {duration}."));
            return [];
        }
    }

    private WorkItem Build(Manifest manifest, int index, BlobVersion manifestVersion, BlobVersion recording, ShardRange shard,
        (double SegmentSeconds, double OverlapSeconds) windows)
    {
        var item = manifest.Items[index];
        return new WorkItem
        {
            Id = WorkItemId.Create(manifestVersion.ETag, index, shard.Index),
            JobId = manifest.JobId,
            ItemId = item.Id,
            ItemIndex = index,
            Manifest = manifestVersion,
            Recording = recording,
            Sha256 = item.Sha256,
            Model = manifest.Model,
            Prompts = item.Prompts,
            Channel = item.Channel.ToString(),
            SegmentSeconds = windows.SegmentSeconds,
            OverlapSeconds = windows.OverlapSeconds,
            NonFinite = item.NonFinite == NonFiniteSamples.Zero ? "zero" : null,
            Faithful = item.Faithful ? true : null,
            Background = item.SuppressBackground ? "suppress" : null,
            Seed = item.Seed ?? 0,
            Steps = item.Steps,
            Start = item.Start,
            End = item.End,
            Shard = shard,
            Attempt = new AttemptInfo(1, options.MaxAttempts),
            TraceParent = IngestionTelemetry.TraceParent(),
        };
    }
}
