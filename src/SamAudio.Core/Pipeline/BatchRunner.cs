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
    /// <summary>
    /// Items started but not yet recorded, the one on the engine included, before the next item waits for the oldest:
    /// one item's tail runs beside the model, and a slow disk holds the batch back instead of piling items up in memory.
    /// </summary>
    private const int UnrecordedItems = 2;

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
        var records = new JobRecorder(items => WriteJobAsync(manifest, manifestSha, jobFolder, items, "running", started, t0, cancellationToken));

        // Items overlap: while one item's windows are in the model, the next one already decodes, resamples and cuts its
        // first windows, and the ones before it finish their tails (writers draining, hashes, activity tables, run.json)
        // and are recorded (JobRecorder). The engine still serves one item at a time, in manifest order (EngineTurn),
        // so every output is the same bytes as a strictly sequential run, and records stay in manifest order.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = new List<Task>();
        var turn = EngineTurn.First();
        ISeparationEngine? previous = null;
        try
        {
            for (int i = 0; i < manifest.Items.Count; i++)
            {
                stop.Token.ThrowIfCancellationRequested();
                await records.WaitAsync(UnrecordedItems).ConfigureAwait(false);
                running.RemoveAll(r => r.IsCompleted);
                var item = manifest.Items[i];
                long tItem = Stopwatch.GetTimestamp();
                string runPath = $"{item.Id}/run.json";
                var sampler = new SamplerSettings(item.Seed ?? options.Seed, item.Steps ?? options.Steps);
                if (previous is not null && !sampler.IsServedBy(previous.Description))
                {
                    await turn.Ready.WaitAsync(stop.Token).ConfigureAwait(false); // the slot reopens the model: no item may still use it
                }

                ISeparationEngine engine;
                try
                {
                    engine = await engines.GetAsync(sampler, stop.Token).ConfigureAwait(false);
                }
                catch (InvalidOperationException ex)
                {
                    records.Add(new JobItemRecord(item.Id, "failed", runPath, Stopwatch.GetElapsedTime(tItem).TotalSeconds, ex.Message));
                    continue;
                }

                var request = ToRequest(engine.Description, manifest, item, sampler, manifestFolder, jobFolder, options);
                if (options.Resume && IsAlreadyDone(request))
                {
                    records.Add(new JobItemRecord(item.Id, "skipped", runPath, 0));
                    continue;
                }

                int index = i;
                var itemProgress = progress is null ? null : new SynchronousProgress<ItemProgress>(p => progress.Report(new BatchProgress(index, manifest.Items.Count, item.Id, p)));
                var run = new RecordingSeparator(engine).RunAsync(request, itemProgress, turn, stop.Token);
                running.Add(run);
                records.Add(run, r => new JobItemRecord(item.Id, r.Status, runPath, Stopwatch.GetElapsedTime(tItem).TotalSeconds, r.Error));
                previous = engine;

                // The next item starts once this one has the engine: one item decodes ahead of the model, no more.
                await Task.WhenAny(turn.Ready, run).ConfigureAwait(false);
                turn = turn.Next();
            }

            var done = await records.CompleteAsync().ConfigureAwait(false);
            int failed = done.Count(x => x.Status == "failed");
            string status = failed == 0 ? "completed" : failed == done.Count ? "failed" : "completed_with_failures";
            return await WriteJobAsync(manifest, manifestSha, jobFolder, done, status, started, t0, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Cancelled, or a failure that stops the batch: no item goes on writing once RunAsync has returned.
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(running).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).ConfigureAwait(false);
            await records.AbandonAsync().ConfigureAwait(false);
            throw;
        }
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
            Background = options.SuppressBackground || item.SuppressBackground ? Dsp.BackgroundSuppressionOptions.Default : null,
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
        Manifest manifest, string manifestSha, string jobFolder, IReadOnlyList<JobItemRecord> items, string status, DateTimeOffset started, long t0, CancellationToken cancellationToken)
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
