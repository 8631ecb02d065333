using System.Diagnostics;
using System.Text.Json;
using SamAudio.Core.Audio;
using SamAudio.Core.Pipeline;
using SamAudio.Core.Provenance;
using SamAudio.Core.Separation;
using SamAudio.Storage.Jobs;
using SamAudio.Storage.WorkItems;
using SamAudio.Worker.Telemetry;

namespace SamAudio.Worker.Processing;

/// <summary>What became of one delivery of a work item.</summary>
internal enum ShardOutcome
{
    /// <summary>The shard's outputs and done marker are stored (and the item assembled if it was the last).</summary>
    Done,

    /// <summary>The shard was already done: a duplicate delivery, nothing was redone.</summary>
    AlreadyDone,

    /// <summary>
    /// An earlier delivery stored the shard's outputs and record and died before its done marker: the record proved the
    /// staged blocks, so they were marked done without separating again.
    /// </summary>
    Reused,

    /// <summary>
    /// The shard is done (by this delivery or an earlier one), every item is final, and another worker holds the job's
    /// completion lock: the message must come back after the lock's lapse, in case that worker dies before job.json.
    /// </summary>
    CompletionHeldElsewhere,
}

/// <summary>
/// Turns one work item into its stored piece of the outputs: separates the shard with the same pipeline the CLI
/// runs (<see cref="ShardSeparator"/>), stages each output's samples as blocks, stores the shard's record and only
/// then its done marker; the shard that completes an item assembles it (<see cref="ItemAssembler"/>).
/// Every step can be repeated: the same blocks get the same ids, markers are written once. A delivery that finds the
/// shard's record from an earlier one reuses the staged blocks only when the record proves them: same work item,
/// recording version and model, every block present with the size recorded, and the piece's SHA-256, which assembly
/// checks against the bytes it commits. Anything less and the shard is separated again.
/// </summary>
/// <remarks>With <c>telemetry</c>, each phase (separate, stage, verify integrity, assemble) is a child span of the
/// current activity (the delivery's span), and the audio seconds and x real time of a finished shard are recorded.</remarks>
internal sealed class ShardProcessor(
    IWorkerStore store, string temporaryFolder, string workerName, WorkerTelemetry? telemetry = null, JobReport? report = null, Microsoft.Extensions.Logging.ILogger? logger = null)
{
    public async Task<ShardOutcome> ProcessAsync(WorkItem item, ISeparationEngine engine, long deliveries, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(engine);
        var assembler = new ItemAssembler(store, report, logger);
        if (await store.Markers.ExistsAsync(item.JobId, item.Id, ShardState.Done, cancellationToken).ConfigureAwait(false))
        {
            // A duplicate: the work is stored. Finish the item in case the first delivery died while assembling it.
            return await AssembleAsync(assembler, item, ShardOutcome.AlreadyDone, cancellationToken).ConfigureAwait(false);
        }

        var started = DateTimeOffset.UtcNow;
        long t0 = Stopwatch.GetTimestamp();
        var previous = await store.Markers.GetAsync(item.JobId, item.Id, ShardState.Running, cancellationToken).ConfigureAwait(false);
        var marker = ShardMarker.For(item, ShardState.Running, deliveries, started) with { Worker = workerName, Failures = previous?.Failures ?? 0 };
        await store.Markers.MarkRunningAsync(marker, cancellationToken).ConfigureAwait(false);

        var outcome = ShardOutcome.Reused;
        var result = await ProvenRecordAsync(item, engine.Description, cancellationToken).ConfigureAwait(false);
        if (result is null)
        {
            outcome = ShardOutcome.Done;
            string folder = Path.Combine(temporaryFolder, item.Id);
            Directory.CreateDirectory(folder);
            try
            {
                result = await SeparateAndStageAsync(item, engine, folder, deliveries, started, progress, cancellationToken).ConfigureAwait(false);
                double seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
                result = result with { Run = result.Run with { FinishedAt = DateTimeOffset.UtcNow, Seconds = seconds } };
                await store.WriteTextAsync(ShardResult.BlobName(item.JobId, item.Id), JsonSerializer.Serialize(result, WorkerJson.Options), cancellationToken).ConfigureAwait(false);
                telemetry?.Separated(item.Model, result.Span.Frames / (double)result.Recording.SampleRate, seconds);
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        await store.Markers.TryMarkFinalAsync(marker with
        {
            State = ShardState.Done,
            AudioSeconds = result.Span.Frames / (double)result.Recording.SampleRate,
            FinishedAt = DateTimeOffset.UtcNow,
            Seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds,
        }, cancellationToken).ConfigureAwait(false);

        return await AssembleAsync(assembler, item, outcome, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Assembles the item if this shard completed it (and the job, if the item was its last); the delivery's outcome is
    /// <paramref name="outcome"/> unless another worker holds the job's completion.
    /// </summary>
    private async Task<ShardOutcome> AssembleAsync(ItemAssembler assembler, WorkItem item, ShardOutcome outcome, CancellationToken cancellationToken)
    {
        using (telemetry?.Source.StartActivity("assemble"))
        {
            return await assembler.AssembleIfCompleteAsync(item, cancellationToken).ConfigureAwait(false) == CompletionOutcome.HeldElsewhere
                ? ShardOutcome.CompletionHeldElsewhere
                : outcome;
        }
    }

    /// <summary>
    /// The shard's record from an earlier delivery when it proves that delivery's staged blocks are this delivery's
    /// work; null when there is none or it proves less (then the shard is separated again, which is always safe).
    /// </summary>
    private async Task<ShardResult?> ProvenRecordAsync(WorkItem item, EngineDescription model, CancellationToken cancellationToken)
    {
        string blob = ShardResult.BlobName(item.JobId, item.Id);
        if (await store.ReadTextAsync(blob, cancellationToken).ConfigureAwait(false) is not { } json)
        {
            return null;
        }

        ShardResult record;
        try
        {
            record = WorkerJson.Deserialize<ShardResult>(json, blob);
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException)
        {
            return null; // a record this version cannot read proves nothing
        }

        string expectedModel = JsonSerializer.Serialize(new ModelRecord(model.ModelId, model.Version, model.Family, model.ExecutionProvider, model.Files, model.Sampler), WorkerJson.Options);
        bool same = record.WorkItemId == item.Id
            && record.Source == item.Recording
            && record.Prompts.Count == item.Prompts.Count
            && JsonSerializer.Serialize(record.Model, WorkerJson.Options) == expectedModel
            && record.Pieces.Count > 0
            && record.Pieces.All(StagedPieces.IsProvable);
        if (!same)
        {
            return null;
        }

        foreach (var piece in record.Pieces)
        {
            var present = await store.GetBlocksAsync(WorkItemShards.OutputBlob(item, piece.FileName), cancellationToken).ConfigureAwait(false);
            if (StagedPieces.FirstMismatch(piece, present) is not null)
            {
                return null;
            }
        }

        return record;
    }

    private async Task<ShardResult> SeparateAndStageAsync(
        WorkItem item, ISeparationEngine engine, string folder, long deliveries, DateTimeOffset started, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        var sampler = EngineProvider.Sampler(item);
        if (!sampler.IsServedBy(engine.Description))
        {
            // The item's run.json records its seed and steps: an engine drawing with others must not produce its shards.
            throw new InvalidOperationException($"work item {item.Id} asks for {sampler}, but the engine of model '{engine.Description.ModelId}' draws with other settings.");
        }

        using var recording = await store.OpenRecordingAsync(item.Recording, cancellationToken).ConfigureAwait(false);
        var info = recording.Reader.Info;
        var span = WorkItemShards.Span(item, info);
        var request = WorkItemShards.Request(item, span);
        ISampleWriter Open(ItemPrompt prompt, string kind, int rate, long? frames) => new RawFloatWriter(Path.Combine(folder, $"{prompt.Slug}.{kind}.f32"));
        using var separateSpan = telemetry?.Source.StartActivity("separate"); // stopped once separated; on error, when the method exits
        using var separated = await new ShardSeparator(engine).SeparateAsync(recording.Reader, request, Open, progress, cancellationToken).ConfigureAwait(false);
        var completed = await separated.CompleteAsync(cancellationToken).ConfigureAwait(false);
        separateSpan?.Stop();
        var activity = separated.ActivityFrames();

        long tStage = Stopwatch.GetTimestamp();
        var pieces = new List<StagedPiece>();
        using (telemetry?.Source.StartActivity("stage"))
        {
            foreach (var output in completed)
            {
                string local = Path.Combine(folder, $"{output.Prompt.Slug}.{output.Kind}.f32");
                var staged = await store.StagePieceAsync(WorkItemShards.OutputBlob(item, output.FileName), span.Index, local, cancellationToken).ConfigureAwait(false);
                pieces.Add(new StagedPiece(output.FileName, output.Kind, output.Prompt.Text, output.Frames, output.ClippedSamples, staged.Ids, staged.Bytes, staged.Sha256));
            }
        }

        var timings = new Dictionary<string, double>(separated.Timings, StringComparer.Ordinal) { ["stage"] = Stopwatch.GetElapsedTime(tStage).TotalSeconds };

        // The recording's own checksum (a FLAC's STREAMINFO MD5) covers the whole stream, so the item's first shard
        // checks it with one full decode (free when that shard already read the whole recording in order) while the
        // other shards run. A mismatch fails this shard for good: the item is never assembled, nothing is visible.
        IntegrityCheck? integrity = null;
        if (span.Index == 0)
        {
            long tIntegrity = Stopwatch.GetTimestamp();
            using var integritySpan = telemetry?.Source.StartActivity("verify integrity");
            var check = recording.Reader.VerifyIntegrity(cancellationToken: cancellationToken);
            integrity = check == IntegrityCheck.None ? null : check;
            timings["integrity"] = Stopwatch.GetElapsedTime(tIntegrity).TotalSeconds;
        }

        if (telemetry is not null && Activity.Current is { } shardSpan)
        {
            // The phases' own seconds (model and write time interleave within "separate"), on the delivery's span.
            foreach (var (phase, seconds) in timings)
            {
                shardSpan.SetTag($"samaudio.seconds.{phase}", seconds);
            }
        }

        var description = engine.Description;
        var prompts = request.Prompts.Select((p, i) => new PromptRecord(separated.Prompts.Texts[i], p.Slug, p.OutputName, separated.Prompts.Interpretations?[i], p.Spans.Count > 0 ? p.Spans : null)).ToList();
        return new ShardResult
        {
            WorkItemId = item.Id,
            ItemId = item.ItemId,
            Span = span,
            Recording = new RecordingFacts(info.Container, info.Encoding, info.SampleRate, info.Channels, info.Frames),
            Source = item.Recording,
            ModelSampleRate = separated.ModelSampleRate,
            OutputSampleRate = separated.OutputSampleRate,
            Model = new ModelRecord(description.ModelId, description.Version, description.Family, description.ExecutionProvider, description.Files, description.Sampler),
            Prompts = prompts,
            Pieces = pieces,
            Activity = activity,
            ActivitySettings = description.Activity ?? Core.Activity.ActivityOptions.Defaults,
            Warnings = separated.Warnings,
            Integrity = integrity,
            TimingsSeconds = timings,
            Run = new ShardRunRecord(span.Index, span.StartFrame, span.EndFrame, span.ReadStartFrame, span.ReadEndFrame, deliveries, workerName,
                started, started, 0, recording.BytesRead),
        };
    }
}
