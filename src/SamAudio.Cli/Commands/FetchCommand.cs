using System.CommandLine;
using System.Globalization;
using SamAudio.Storage.Fetching;

namespace SamAudio.Cli.Commands;

/// <summary>
/// <c>samaudio fetch &lt;jobId&gt; --out DIR</c>: downloads a job's outputs from the jobs container into
/// <c>DIR/&lt;jobId&gt;/</c> (the layout <c>samaudio batch --out DIR</c> writes), skipping files that already have the
/// blob's hash; the job's internal state (<c>_state/</c>) stays behind.
/// </summary>
internal static class FetchCommand
{
    public static Command Create(CliConsole console)
    {
        var jobId = new Argument<string>("jobId") { Description = "The manifest's jobId." };
        var output = new Option<string>("--out", "-o") { Description = "Folder to write <jobId>/... into.", Required = true };
        var quiet = CliOptions.Quiet();
        var connection = StorageConnectionOption.Create();
        var command = new Command("fetch", "Download a job's outputs (audio, tables, run.json, job.json) into DIR/<jobId>/, skipping files that are already there unchanged.")
        {
            jobId, output, quiet, connection,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = StorageConnectionOption.Options();
            var id = parse.GetValue(jobId)!;
            var jobs = StorageConnectionOption.Factory(parse, connection).CreateBlobServiceClient().GetBlobContainerClient(options.JobContainer);
            var progress = parse.GetValue(quiet) ? null : ConsoleFetchProgress.For(console);
            var result = await new JobFetcher(jobs).FetchAsync(id, parse.GetValue(output)!, progress, cancellationToken).ConfigureAwait(false);
            progress?.Finish();
            if (!result.JobFound)
            {
                await console.Error.WriteLineAsync($"No job '{id}' in container {options.JobContainer}.").ConfigureAwait(false);
                return ExitCodes.Error;
            }
            foreach (var name in result.Refused)
                await console.Error.WriteLineAsync($"refused {name}: the name would leave {result.Folder}").ConfigureAwait(false);
            foreach (var failure in result.Failed)
                await console.Error.WriteLineAsync($"failed  {failure.BlobName}: {failure.Reason}").ConfigureAwait(false);
            var refused = result.Refused.Count > 0 ? $", refused {result.Refused.Count}" : "";
            var failed = result.Failed.Count > 0 ? $", failed {result.Failed.Count}" : "";
            await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"job {id} -> {result.Folder}: downloaded {result.Downloaded} ({ConsoleFetchProgress.Size(result.BytesDownloaded)}), skipped {result.Skipped} unchanged{refused}{failed}")).ConfigureAwait(false);
            return result.Failed.Count > 0 ? ExitCodes.Error : ExitCodes.Success;
        });
        return command;
    }
}
