using System.Text.Json;
using SamAudio.Core.Provenance;

namespace SamAudio.Cli;

/// <summary>How a finished job is reported: a human summary on standard error, or JSON on standard output.</summary>
internal static class JobSummary
{
    public static async Task<int> ReportAsync(CliConsole console, JobRecord job, string jobFolder, bool json)
    {
        if (json)
        {
            var summary = new
            {
                job.JobId,
                job.Status,
                output = Path.GetFullPath(jobFolder),
                job.Counts,
                job.ElapsedSeconds,
                items = job.Items.Select(i => new { i.Id, i.Status, i.Error, runRecord = Path.Combine(Path.GetFullPath(jobFolder), i.RunRecord) }),
            };
            await console.Out.WriteLineAsync(JsonSerializer.Serialize(summary, ProvenanceJson.Options)).ConfigureAwait(false);
        }
        else
        {
            var c = job.Counts;
            await console.Error.WriteLineAsync(
                $"job {job.JobId}: {c.Completed} completed, {c.Skipped} skipped, {c.Failed} failed in {job.ElapsedSeconds:F1} s -> {jobFolder}").ConfigureAwait(false);
            foreach (var failed in job.Items.Where(i => i.Status == "failed"))
            {
                await console.Error.WriteLineAsync($"  item '{failed.Id}' failed: {failed.Error}").ConfigureAwait(false);
            }
        }

        return job.Counts.Failed > 0 ? ExitCodes.PartialFailure : ExitCodes.Success;
    }

    public static async Task<int> InvalidAsync(CliConsole console, bool json, string what, IEnumerable<(string Path, string Message)> errors)
    {
        var list = errors.ToList();
        if (json)
        {
            await console.Out.WriteLineAsync(JsonSerializer.Serialize(new { status = "invalid", what, errors = list.Select(e => new { path = e.Path, message = e.Message }) }, ProvenanceJson.Options)).ConfigureAwait(false);
        }

        await console.Error.WriteLineAsync($"{what}: {list.Count} problem(s); nothing was processed.").ConfigureAwait(false);
        foreach (var (path, message) in list)
        {
            await console.Error.WriteLineAsync($"  {path}: {message}").ConfigureAwait(false);
        }

        return ExitCodes.InvalidInput;
    }
}
