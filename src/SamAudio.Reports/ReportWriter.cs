using System.Text;
using SamAudio.Core.Outputs;
using SamAudio.Core.Provenance;
using SamAudio.Reports.Html;

namespace SamAudio.Reports;

/// <summary>The page written and every file of the report, relative to the report's folder, with hashes.</summary>
public sealed record ReportResult(string ReportPath, IReadOnlyList<ReportFileRecord> Files);

/// <summary>
/// Writes <c>report.html</c> from a job's outputs alone: in a job folder (with <c>job.json</c>) for every item, or in an
/// item folder written by <c>samaudio separate</c> (with <c>run.json</c>). Pictures and excerpts go under
/// <c>report/</c> beside the page; every file is written to a temporary name and renamed, the page last, then
/// <c>report.sha256</c> (<c>sha256sum -c</c> format) and, for a job, the <c>report</c> entry of <c>job.json</c>.
/// Nothing an item's <c>run.json</c> lists is touched.
/// </summary>
public sealed class ReportWriter
{
    public const string PageName = "report.html", HashListName = "report.sha256", AssetFolder = "report";
    private readonly ReportOptions _options;

    public ReportWriter(ReportOptions? options = null)
    {
        _options = options ?? new ReportOptions();
        _options.Validate();
    }

    /// <exception cref="FileNotFoundException">When <paramref name="folder"/> holds neither <c>job.json</c> nor <c>run.json</c>.</exception>
    public async Task<ReportResult> WriteAsync(string folder, IProgress<ReportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        folder = Path.GetFullPath(folder);
        string jobPath = Path.Combine(folder, "job.json");
        JobRecord? job = null;
        var items = new List<ReportItem>();
        if (File.Exists(jobPath))
        {
            job = ProvenanceJson.Deserialize<JobRecord>(await File.ReadAllTextAsync(jobPath, cancellationToken).ConfigureAwait(false))
                ?? throw new InvalidDataException($"{jobPath} is empty.");
            foreach (var entry in job.Items)
            {
                string itemFolder = Path.GetDirectoryName(entry.RunRecord)?.Replace('\\', '/') ?? string.Empty;
                items.Add(ReportPaths.IsPlainRelative(itemFolder)
                    ? await ReportItem.LoadAsync(folder, entry.Id, itemFolder, cancellationToken).ConfigureAwait(false)
                    : new ReportItem(entry.Id, string.Empty, null, new Dictionary<string, IReadOnlyList<Core.Activity.ActivityRegion>>(), $"job.json names its run record '{entry.RunRecord}', which is not inside the job folder."));
            }
        }
        else if (File.Exists(Path.Combine(folder, "run.json")))
        {
            var item = await ReportItem.LoadAsync(folder, Path.GetFileName(folder), string.Empty, cancellationToken).ConfigureAwait(false);
            items.Add(item with { Id = item.Run?.ItemId ?? item.Id });
        }
        else
        {
            throw new FileNotFoundException($"{folder} holds neither job.json (a job folder) nor run.json (an item folder); give the folder `samaudio batch` or `samaudio separate` wrote.", jobPath);
        }

        var sections = new List<(ReportItem, ItemAssets)>();
        for (int i = 0; i < items.Count; i++)
        {
            sections.Add((items[i], await AssetsAsync(folder, i, items[i], progress, cancellationToken).ConfigureAwait(false)));
        }

        string page = ReportPage.Render(job?.JobId ?? items[0].Id, job, sections, _options);
        await AtomicFile.WriteAllTextAsync(Path.Combine(folder, PageName), page, cancellationToken).ConfigureAwait(false);
        var files = new List<ReportFileRecord>();
        foreach (string path in sections.SelectMany(s => s.Item2.Files).Append(PageName))
        {
            string full = Path.Combine(folder, path);
            files.Add(new ReportFileRecord(path, await FileHash.Sha256Async(full, cancellationToken).ConfigureAwait(false), new FileInfo(full).Length));
        }

        var list = new StringBuilder();
        foreach (var f in files) list.Append(f.Sha256).Append("  ").Append(f.Path).Append('\n');
        await AtomicFile.WriteAllTextAsync(Path.Combine(folder, HashListName), list.ToString(), cancellationToken).ConfigureAwait(false);
        RemoveStale(folder, files);
        if (job is not null)
        {
            // Re-read: job.json is the batch's own record, and only its report entry is ours.
            var current = ProvenanceJson.Deserialize<JobRecord>(await File.ReadAllTextAsync(jobPath, cancellationToken).ConfigureAwait(false))!;
            await AtomicFile.WriteAllTextAsync(jobPath, ProvenanceJson.Serialize(current with { Report = new JobReportRecord(PageName, files) }), cancellationToken).ConfigureAwait(false);
        }

        return new ReportResult(Path.Combine(folder, PageName), files);
    }

    private async Task<ItemAssets> AssetsAsync(string folder, int index, ReportItem item, IProgress<ReportProgress>? progress, CancellationToken cancellationToken)
    {
        try
        {
            return await ItemAssets.WriteAsync(folder, index, item, _options, progress, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or ArgumentException or PlatformNotSupportedException)
        {
            return ItemAssets.None with { Notes = [$"pictures and excerpts could not be made: {e.Message}"] };
        }
    }

    /// <summary>Pictures and excerpts of an earlier report that this one no longer shows.</summary>
    private static void RemoveStale(string folder, List<ReportFileRecord> files)
    {
        string assets = Path.Combine(folder, AssetFolder);
        if (!Directory.Exists(assets)) return;
        var keep = files.Select(f => Path.GetFullPath(Path.Combine(folder, f.Path))).ToHashSet(StringComparer.Ordinal);
        foreach (string file in Directory.EnumerateFiles(assets, "*", SearchOption.AllDirectories))
        {
            if (!keep.Contains(file) && (file.EndsWith(".png", StringComparison.Ordinal) || file.EndsWith(".wav", StringComparison.Ordinal)))
            {
                File.Delete(file);
            }
        }
    }
}
