using System.Diagnostics;
using SamAudio.Core.Manifests;
using SamAudio.Core.Outputs;
using SamAudio.Core.Provenance;
using SamAudio.Core.Separation;

namespace SamAudio.Core.Pipeline;

/// <summary>
/// Runs every item of a validated manifest, one after another, through <see cref="RecordingSeparator"/>.
/// One bad recording fails its own item only; <c>job.json</c> is rewritten after each item so the batch's
/// state is always on disk, and <c>--resume</c> skips items already completed with the same fingerprint.
/// Each item gets the engine for its sampler settings (seed, steps) from the slot: a model is reopened only when an
/// item asks for settings the open engine does not draw with.
/// </summary>
public sealed class BatchRunner(SamplerEngineSlot engines)
{
    /// <summary>A runner over one engine the caller owns; an item asking for sampler settings it does not draw with fails.</summary>
    public BatchRunner(ISeparationEngine engine)
        : this(SamplerEngineSlot.Fixed(engine))
    {
    }

    public async Task<JobRecord> RunAsync(
        Manifest manifest,
        string manifestPath,
        BatchOptions options,
        IProgress<BatchProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(options);
        var started = DateTimeOffset.UtcNow;
        long t0 = Stopwatch.GetTimestamp();
        string manifestFolder = Path.GetDirectoryName(Path.GetFullPath(manifestPath))!;
        string manifestSha = await FileHash.Sha256Async(manifestPath, cancellationToken).ConfigureAwait(false);
        string jobFolder = Path.Combine(options.OutputRoot, manifest.JobId);
        AtomicFile.RemoveLeftovers(jobFolder); // job.json is rewritten after every item: a killed run can leave its temporary
        var items = new List<JobItemRecord>();

        // One item's tail (its writers draining, hashes, activity tables, run.json) runs beside the next item's decoding
        // and model work: the next item starts once this one no longer calls the engine, so the engine still serves
        // one item at a time and every output is the same bytes as a strictly sequential run. Records stay in
        // manifest order: an item is recorded only after the one before it.
        (ManifestItem Item, string RunPath, long Started, Task<RunRecord> Run)? pending = null;
        async Task RecordPendingAsync()
        {
            if (pending is not { } p) return;
            pending = null;
            var record = await p.Run.ConfigureAwait(false);
            ReleaseItemMemory();
            items.Add(new JobItemRecord(p.Item.Id, record.Status, p.RunPath, Stopwatch.GetElapsedTime(p.Started).TotalSeconds, record.Error));
            await WriteJobAsync(manifest, manifestSha, jobFolder, items, "running", started, t0, cancellationToken).ConfigureAwait(false);
        }

        for (int i = 0; i < manifest.Items.Count; i++)
        {
            var item = manifest.Items[i];
            long tItem = Stopwatch.GetTimestamp();
            string runPath = $"{item.Id}/run.json";
            var sampler = new SamplerSettings(item.Seed ?? options.Seed, item.Steps ?? options.Steps);
            ISeparationEngine engine;
            try
            {
                engine = await engines.GetAsync(sampler, cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidOperationException ex)
            {
                await RecordPendingAsync().ConfigureAwait(false);
                items.Add(new JobItemRecord(item.Id, "failed", runPath, Stopwatch.GetElapsedTime(tItem).TotalSeconds, ex.Message));
                continue;
            }

            var request = ToRequest(engine.Description, manifest, item, sampler, manifestFolder, jobFolder, options);
            if (options.Resume && IsAlreadyDone(request))
            {
                await RecordPendingAsync().ConfigureAwait(false);
                items.Add(new JobItemRecord(item.Id, "skipped", runPath, 0));
                continue;
            }

            int index = i;
            var itemProgress = progress is null ? null : new SynchronousProgress<ItemProgress>(p => progress.Report(new BatchProgress(index, manifest.Items.Count, item.Id, p)));
            var engineReleased = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var run = new RecordingSeparator(engine).RunAsync(request, itemProgress, () => engineReleased.TrySetResult(), cancellationToken);
            await Task.WhenAny(engineReleased.Task, run).ConfigureAwait(false); // a run that throws early releases nothing
            await RecordPendingAsync().ConfigureAwait(false);
            pending = (item, runPath, tItem, run);
        }

        await RecordPendingAsync().ConfigureAwait(false);

        int failed = items.Count(x => x.Status == "failed");
        string status = failed == 0 ? "completed" : failed == items.Count ? "failed" : "completed_with_failures";
        return await WriteJobAsync(manifest, manifestSha, jobFolder, items, status, started, t0, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// An item leaves about 12 MiB of large buffers behind (decoder, resampler and writer rings) for a ten-second
    /// recording. The collector's large-object budget is sized by what survived its last collection, and a model's
    /// load (the MiniLM graph bytes) makes that hundreds of megabytes, so the buffers of item after item piled up
    /// uncollected: 20 ten-second items peaked at 504 MiB, one collection in all. One compacting collection per item,
    /// as the worker does per shard, keeps the working set flat in the number of items; with a heap of a few
    /// megabytes it costs milliseconds.
    /// </summary>
    private static void ReleaseItemMemory()
    {
        System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
    }

    private static SeparationRequest ToRequest(
        EngineDescription model, Manifest manifest, ManifestItem item, SamplerSettings sampler, string manifestFolder, string jobFolder, BatchOptions options)
    {
        var request = new SeparationRequest
        {
            JobId = manifest.JobId,
            ItemId = item.Id,
            RecordingPath = ManifestPaths.Resolve(manifestFolder, item.Recording),
            RecordingLabel = item.Recording,
            ExpectedSha256 = item.Sha256,
            Prompts = item.Prompts.Select(p => new ItemPrompt(p.Text, p.Slug, p.Output != OutputMode.Residual, p.Output != OutputMode.Target) { Spans = p.Spans ?? [] }).ToList(),
            Start = item.Start,
            End = item.End,
            Channel = item.Channel,
            SegmentSeconds = item.SegmentSeconds,
            OverlapSeconds = item.OverlapSeconds,
            OutputRate = options.OutputRate,
            Faithful = options.Faithful || item.Faithful,
            Seed = sampler.Seed,
            Steps = sampler.Steps,
            NonFinite = item.NonFinite,
            OutputFolder = Path.Combine(jobFolder, item.Id),
            Fingerprint = string.Empty,
        };
        return request with { Fingerprint = RunFingerprint.Compute(model, request) };
    }

    /// <summary>True when <c>run.json</c> says completed with this fingerprint and every output it lists is intact.</summary>
    private static bool IsAlreadyDone(SeparationRequest request)
    {
        string path = Path.Combine(request.OutputFolder, "run.json");
        if (!File.Exists(path))
        {
            return false;
        }

        RunRecord? previous;
        try
        {
            previous = ProvenanceJson.Deserialize<RunRecord>(File.ReadAllText(path));
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }

        return previous is { Status: "completed" } && previous.Fingerprint == request.Fingerprint
            && previous.Outputs.All(o => new FileInfo(Path.Combine(request.OutputFolder, o.Path)) is { Exists: true } f && f.Length == o.SizeBytes);
    }

    private static async Task<JobRecord> WriteJobAsync(
        Manifest manifest, string manifestSha, string jobFolder, List<JobItemRecord> items, string status, DateTimeOffset started, long t0, CancellationToken cancellationToken)
    {
        var job = new JobRecord
        {
            JobId = manifest.JobId,
            Model = manifest.Model,
            ManifestSha256 = manifestSha,
            Status = status,
            Counts = new JobCounts(manifest.Items.Count, items.Count(x => x.Status == "completed"), items.Count(x => x.Status == "skipped"), items.Count(x => x.Status == "failed")),
            Items = items.ToList(),
            StartedAt = started,
            FinishedAt = DateTimeOffset.UtcNow,
            ElapsedSeconds = Stopwatch.GetElapsedTime(t0).TotalSeconds,
        };
        await AtomicFile.WriteAllTextAsync(Path.Combine(jobFolder, "job.json"), ProvenanceJson.Serialize(job), cancellationToken).ConfigureAwait(false);
        return job;
    }
}
