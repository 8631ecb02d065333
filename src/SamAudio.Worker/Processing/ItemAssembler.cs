using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SamAudio.Core.Activity;
using SamAudio.Core.Audio;
using SamAudio.Core.Pipeline;
using SamAudio.Core.Provenance;
using SamAudio.Storage.Jobs;
using SamAudio.Storage.WorkItems;

namespace SamAudio.Worker.Processing;

/// <summary>
/// Makes an item's outputs visible once all its shards are done: verifies the recording's SHA-256, commits each
/// WAV as header + every shard's staged blocks in order, computes the activity tables from all shards' frames,
/// and writes <c>run.json</c> last, so an item is complete exactly when its <c>run.json</c> exists. Idempotent:
/// whoever comes after a worker that died while assembling commits the same block lists and finishes.
/// </summary>
internal sealed class ItemAssembler(IWorkerStore store, JobReport? report = null, Microsoft.Extensions.Logging.ILogger? logger = null)
{
    /// <summary>
    /// Assembles the item when every shard is done, then asks for the job's completion; returns where the job stands
    /// (<see cref="CompletionOutcome.NotYet"/> also while this item waits for its other shards).
    /// </summary>
    public async Task<CompletionOutcome> AssembleIfCompleteAsync(WorkItem item, CancellationToken cancellationToken = default)
    {
        string runBlob = WorkItemShards.OutputBlob(item, "run.json");
        if (!await store.ExistsAsync(runBlob, cancellationToken).ConfigureAwait(false))
        {
            var ids = WorkItemShards.SiblingIds(item);
            foreach (string id in ids)
            {
                if (!await store.Markers.ExistsAsync(item.JobId, id, ShardState.Done, cancellationToken).ConfigureAwait(false))
                {
                    return CompletionOutcome.NotYet;
                }
            }

            var results = new List<ShardResult>();
            foreach (string id in ids)
            {
                string json = await store.ReadTextAsync(ShardResult.BlobName(item.JobId, id), cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidDataException($"shard {id} of item '{item.ItemId}' is marked done but its result record is missing.");
                results.Add(WorkerJson.Deserialize<ShardResult>(json, ShardResult.BlobName(item.JobId, id)));
            }

            var run = await AssembleAsync(item, results, cancellationToken).ConfigureAwait(false);
            await store.WriteTextAsync(runBlob, ProvenanceJson.Serialize(run), cancellationToken).ConfigureAwait(false);
        }

        return await new JobCompletion(store, report, logger).FinishIfCompleteAsync(item, cancellationToken).ConfigureAwait(false);
    }

    private async Task<RunRecord> AssembleAsync(WorkItem item, IReadOnlyList<ShardResult> shards, CancellationToken cancellationToken)
    {
        var started = shards.Min(s => s.Run.StartedAt);
        var first = shards[0];
        var warnings = shards.SelectMany(s => s.Warnings).Distinct().ToList();
        var (sha, size) = await store.HashAsync(item.Recording, cancellationToken).ConfigureAwait(false);
        if (item.Sha256 is { } expected && !string.Equals(expected, sha, StringComparison.OrdinalIgnoreCase))
        {
            throw new RecordingUnavailableException($"sha256 of '{item.Recording.Name}' is {sha}, but the manifest expects {expected}; check that the right file was uploaded.");
        }

        IReadOnlyList<MetadataChunk> chunks;
        (long Start, long End) range;
        using (var recording = await store.OpenRecordingAsync(item.Recording, cancellationToken).ConfigureAwait(false))
        {
            chunks = recording.Reader.Info.MetadataChunks;
            range = WorkItemShards.ItemRange(item, recording.Reader.Info);
        }

        var outputs = new List<OutputRecord>();
        foreach (var piece in first.Pieces)
        {
            var parts = shards.Select(s => new CommitPart(s.Span.Index, s.Pieces.Single(p => p.FileName == piece.FileName))).ToList();
            long frames = parts.Sum(p => p.Piece.Frames);
            long clipped = parts.Sum(p => p.Piece.ClippedSamples);
            byte[] header = WavHeader.Build(first.OutputSampleRate, frames, chunks);
            var (outputSha, outputSize) = await store.CommitAsync(
                WorkItemShards.OutputBlob(item, piece.FileName), header, parts, cancellationToken).ConfigureAwait(false);
            if (clipped > 0)
            {
                warnings.Add($"{piece.FileName}: {clipped} sample(s) beyond full scale (kept as float, not clipped)");
            }

            outputs.Add(new OutputRecord(piece.FileName, piece.Kind, piece.Prompt, outputSha, outputSize, frames, first.OutputSampleRate, clipped));
        }

        double startSeconds = range.Start / (double)first.Recording.SampleRate;
        var selections = new List<(string, ActivityRegion)>();
        var activitySettings = first.ActivitySettings ?? ActivityOptions.Defaults;
        for (int p = 0; p < first.Prompts.Count; p++)
        {
            var prompt = first.Prompts[p];
            var regions = new ActivityDetector(first.ModelSampleRate, startSeconds, activitySettings).Detect(shards.SelectMany(s => s.Activity[p]));
            string name = $"{prompt.Slug}.activity.csv";
            var (csvSha, csvSize) = await store.WriteTextAsync(WorkItemShards.OutputBlob(item, name), ActivityTables.ToCsv(regions), cancellationToken).ConfigureAwait(false);
            outputs.Add(new OutputRecord(name, "activity", prompt.Text, csvSha, csvSize));
            selections.AddRange(regions.Select(r => (prompt.Text, r)));
        }

        var (tableSha, tableSize) = await store.WriteTextAsync(
            WorkItemShards.OutputBlob(item, "selections.txt"), ActivityTables.ToRavenSelectionTable(selections, first.ModelSampleRate / 2.0), cancellationToken).ConfigureAwait(false);
        outputs.Add(new OutputRecord("selections.txt", "selections", null, tableSha, tableSize));

        var rec = first.Recording;
        return new RunRecord
        {
            Status = "completed",
            JobId = item.JobId,
            ItemId = item.ItemId,
            Fingerprint = Fingerprint(item, first),
            Software = ProvenanceJson.Software,
            Machine = ProvenanceJson.Machine,
            Input = new InputRecord(item.Recording.Name, sha, size, rec.Container, rec.Encoding, rec.SampleRate, rec.Channels, rec.Frames, rec.Frames / (double)rec.SampleRate,
                shards.Select(s => s.Integrity).FirstOrDefault(i => i is not null)),
            Model = first.Model,
            Parameters = new RunParameters(item.Channel, item.Start?.TotalSeconds, item.End?.TotalSeconds, range.Start, range.End,
                item.SegmentSeconds, item.OverlapSeconds, first.ModelSampleRate, first.OutputSampleRate, "source", item.Seed,
                WorkItemShards.NonFinite(item) == NonFiniteSamples.Zero ? "zero" : "fail", item.Steps, RunParameters.ModeName(WorkItemShards.Faithful(item)), activitySettings,
                WorkItemShards.Background(item)),
            Prompts = first.Prompts,
            Outputs = outputs,
            StartedAt = started,
            FinishedAt = DateTimeOffset.UtcNow,
            TimingsSeconds = Timings(shards),
            Warnings = warnings,
            Shards = shards.Select(s => s.Run).ToList(),
        };
    }

    private static SortedDictionary<string, double> Timings(IReadOnlyList<ShardResult> shards)
    {
        var total = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var (stage, seconds) in shards.SelectMany(s => s.TimingsSeconds))
        {
            total[stage] = total.GetValueOrDefault(stage) + seconds;
        }

        total["total"] = shards.Sum(s => s.Run.Seconds);
        return total;
    }

    /// <summary>Identifies every input of the item's outputs: recording version, prompts, parameters and model files.</summary>
    private static string Fingerprint(WorkItem item, ShardResult first)
    {
        var canonical = new
        {
            model = new { first.Model.Id, first.Model.Version, files = first.Model.Files.Select(f => f.Sha256).ToArray() },
            recording = new { item.Recording.Name, item.Recording.ETag, item.Sha256 },
            prompts = item.Prompts.Select(p => new[] { p.Text, p.Slug, p.Output.ToString() }).ToArray(),
            start = item.Start?.Ticks,
            end = item.End?.Ticks,
            item.Channel,
            item.SegmentSeconds,
            item.OverlapSeconds,
        };
        string text = JsonSerializer.Serialize(canonical);
        if (WorkItemShards.NonFinite(item) != NonFiniteSamples.Fail)
        {
            text += "\nnonFinite=" + WorkItemShards.NonFinite(item); // only when set: earlier fingerprints still match
        }

        if (WorkItemShards.Faithful(item))
        {
            text += "\nmode=faithful"; // only when set: direct fingerprints stay as they were
        }

        text += RunFingerprint.BackgroundPart(WorkItemShards.Background(item)); // as a local run's: empty when kept

        if (first.Model.Sampler is { Count: > 0 } sampler)
        {
            // Only generative engines have one (seed and steps among it), so fingerprints of mask runs stay as they were.
            text += "\nsampler=" + string.Join(";", sampler.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => s.Key + "=" + s.Value));
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
