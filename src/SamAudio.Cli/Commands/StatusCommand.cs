using System.CommandLine;
using SamAudio.Storage.Jobs;

namespace SamAudio.Cli.Commands;

/// <summary><c>samaudio status &lt;jobId&gt;</c>: prints the job record with counts by state and output paths (JSON).</summary>
internal static class StatusCommand
{
    public static Command Create(CliConsole console)
    {
        var jobId = new Argument<string>("jobId") { Description = "The manifest's jobId." };
        var connection = StorageConnectionOption.Create();
        var command = new Command("status", "Print a job's record: status, counts of pending/running/done/failed, outputs.") { jobId, connection };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = StorageConnectionOption.Options();
            var id = parse.GetValue(jobId)!;
            var jobs = new JobRecordStore(StorageConnectionOption.Factory(parse, connection).CreateBlobServiceClient().GetBlobContainerClient(options.JobContainer));
            var stored = JobRecordStore.IsValidJobId(id) ? await jobs.GetAsync(id, cancellationToken).ConfigureAwait(false) : null;
            if (stored is null)
            {
                await console.Error.WriteLineAsync($"No job '{id}' in container {options.JobContainer}.").ConfigureAwait(false);
                return ExitCodes.Error;
            }
            await console.Out.WriteLineAsync(JobStatusReport.From(stored.Record).ToJson()).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }
}
