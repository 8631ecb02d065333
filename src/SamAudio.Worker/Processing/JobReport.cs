using SamAudio.Core.Provenance;
using SamAudio.Reports;
using SamAudio.Storage.WorkItems;

namespace SamAudio.Worker.Processing;

/// <summary>
/// Writes the job's <c>report.html</c> to storage at job completion, as <c>samaudio batch --report</c> writes it: the
/// same <see cref="ReportWriter"/> runs in a local temporary folder holding the job's records (job.json as it is about
/// to be written, every item's run.json and activity tables), reads the assembled outputs and the recordings (at the
/// ETag the work items name) by ranged reads, and its files are uploaded under <c>&lt;jobId&gt;/</c> with the layout the
/// CLI writes: pictures and excerpts first, then the page, then <c>report.sha256</c>. Names come from item indexes, so
/// a second attempt after a worker died part-way overwrites the same blobs.
/// </summary>
internal sealed class JobReport(IWorkerStore store, string temporaryFolder)
{
    /// <summary>Builds and uploads the report of <paramref name="job"/>; returns the entry job.json records for it.</summary>
    public async Task<JobReportRecord> WriteAsync(Storage.Jobs.JobRecord plan, Core.Provenance.JobRecord job, CancellationToken cancellationToken = default)
    {
        string folder = Path.Combine(temporaryFolder, $"report-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "job.json"), ProvenanceJson.Serialize(job), cancellationToken).ConfigureAwait(false);
            var recordings = new Dictionary<string, BlobVersion>(StringComparer.Ordinal);
            foreach (var entry in job.Items)
            {
                if (await CopyRecordsAsync(job.JobId, folder, entry, cancellationToken).ConfigureAwait(false)
                    && await RecordingOfAsync(plan, job.JobId, entry.Id, cancellationToken).ConfigureAwait(false) is { } recording)
                {
                    recordings[entry.Id] = recording;
                }
            }

            var options = new ReportOptions { Audio = new StoredAudio(store, job.JobId, recordings) };
            var result = await new ReportWriter(options).WriteAsync(folder, cancellationToken: cancellationToken).ConfigureAwait(false);
            foreach (var file in result.Files.Where(f => f.Path != ReportWriter.PageName).Append(result.Files.Single(f => f.Path == ReportWriter.PageName)))
            {
                await store.UploadFileAsync($"{job.JobId}/{file.Path}", Path.Combine(folder, file.Path), cancellationToken).ConfigureAwait(false);
            }

            await store.UploadFileAsync($"{job.JobId}/{ReportWriter.HashListName}", Path.Combine(folder, ReportWriter.HashListName), cancellationToken).ConfigureAwait(false);
            return new JobReportRecord(ReportWriter.PageName, result.Files);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The recording blob and ETag an item's first shard read, from its shard record.</summary>
    private async Task<BlobVersion?> RecordingOfAsync(Storage.Jobs.JobRecord plan, string jobId, string itemId, CancellationToken cancellationToken)
    {
        if (plan.WorkItems.FirstOrDefault(w => w.ItemId == itemId) is not { } first) return null;
        string name = ShardResult.BlobName(jobId, first.Id);
        string? json = await store.ReadTextAsync(name, cancellationToken).ConfigureAwait(false);
        return json is null ? null : WorkerJson.Deserialize<ShardResult>(json, name).Source;
    }

    /// <summary>An item's run.json and the activity tables it lists, the small records the report reads as files; false for an item without run.json.</summary>
    private async Task<bool> CopyRecordsAsync(string jobId, string folder, JobItemRecord entry, CancellationToken cancellationToken)
    {
        if (await store.ReadTextAsync($"{jobId}/{entry.RunRecord}", cancellationToken).ConfigureAwait(false) is not { } runJson)
        {
            return false; // a failed item: the report says it has no run.json
        }

        string local = Path.Combine(folder, entry.RunRecord);
        Directory.CreateDirectory(Path.GetDirectoryName(local)!);
        await File.WriteAllTextAsync(local, runJson, cancellationToken).ConfigureAwait(false);
        var run = WorkerJson.Deserialize<RunRecord>(runJson, entry.RunRecord);
        string itemFolder = Path.GetDirectoryName(entry.RunRecord)!.Replace('\\', '/');
        foreach (var output in run.Outputs.Where(o => o.Kind == "activity" && IsPlainName(o.Path)))
        {
            if (await store.ReadTextAsync($"{jobId}/{itemFolder}/{output.Path}", cancellationToken).ConfigureAwait(false) is { } csv)
            {
                await File.WriteAllTextAsync(Path.Combine(folder, itemFolder, output.Path), csv, cancellationToken).ConfigureAwait(false);
            }
        }

        return true;
    }

    private static bool IsPlainName(string path) => path.Length > 0 && path.IndexOfAny(['/', '\\', ':']) < 0 && path is not "." and not "..";

    /// <summary>The job's outputs and recordings in storage, for the report: outputs by name, recordings at their ETag.</summary>
    private sealed class StoredAudio(IWorkerStore store, string jobId, IReadOnlyDictionary<string, BlobVersion> recordings) : IReportAudio
    {
        public Task<Stream?> OpenOutputAsync(string path, CancellationToken cancellationToken = default) =>
            store.OpenReadAsync($"{jobId}/{path}", cancellationToken);

        public async Task<Stream?> OpenRecordingAsync(string itemId, InputRecord input, CancellationToken cancellationToken = default)
        {
            // run.json's SHA-256 was computed from the blob at this ETag, and the read is conditional on it.
            if (!recordings.TryGetValue(itemId, out var recording) || recording.Name != input.Recording)
            {
                return null;
            }

            try
            {
                return await store.OpenRecordingStreamAsync(recording, cancellationToken).ConfigureAwait(false);
            }
            catch (RecordingUnavailableException)
            {
                return null;
            }
        }
    }
}
