using System.CommandLine;
using System.Globalization;
using SamAudio.Storage.Jobs;

namespace SamAudio.Cli.Commands;

/// <summary>
/// <c>samaudio status &lt;jobId&gt;</c>: where a job stands (items done / running / pending / failed, audio hours, x real
/// time, ETA and each failure with its reason), derived from the plan, the shard markers and the items' run.json;
/// <c>--json</c> prints the report the HTTP status function returns.
/// </summary>
internal static class StatusCommand
{
    public static Command Create(CliConsole console)
    {
        var jobId = new Argument<string>("jobId") { Description = "The manifest's jobId." };
        var json = CliOptions.Json();
        var connection = StorageConnectionOption.Create();
        var command = new Command("status", "Show where a job stands: items by state, audio hours processed, x real time, ETA and failures.") { jobId, json, connection };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = StorageConnectionOption.Options();
            var id = parse.GetValue(jobId)!;
            var reader = new JobStatusReader(StorageConnectionOption.Factory(parse, connection).CreateBlobServiceClient().GetBlobContainerClient(options.JobContainer));
            var report = await reader.ReadAsync(id, cancellationToken).ConfigureAwait(false);
            if (report is null)
            {
                await console.Error.WriteLineAsync($"No job '{id}' in container {options.JobContainer}.").ConfigureAwait(false);
                return ExitCodes.Error;
            }
            if (parse.GetValue(json))
                await console.Out.WriteLineAsync(report.ToJson()).ConfigureAwait(false);
            else
                await console.Out.WriteAsync(Describe(report)).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The report in a few lines a person reads.</summary>
    internal static string Describe(JobStatusReport report)
    {
        var text = new StringWriter(CultureInfo.InvariantCulture);
        text.WriteLine($"job {report.JobId}: {State(report.State)}");
        if (report.State == JobState.Rejected)
        {
            foreach (var error in report.Errors)
                text.WriteLine($"  {error.Path}: {error.Message}");
            return text.ToString();
        }
        text.WriteLine($"items:      {Counts(report.Items)}");
        text.WriteLine($"work items: {Counts(report.WorkItems)}");
        var audio = report.Audio;
        var unknown = audio.UnknownWorkItems > 0 ? $" (+ {audio.UnknownWorkItems} work item(s) of unknown length)" : "";
        text.WriteLine($"audio:      {Hours(audio.ProcessedSeconds)} processed of {Hours(audio.PlannedSeconds)} planned{unknown}");
        var speed = audio.RealTimeFactor is { } factor ? $"{factor:F1}x real time" : "x real time not measured yet (no shard done)";
        var eta = audio.EtaSeconds is { } seconds ? Clock(seconds) : "unknown";
        text.WriteLine($"speed:      {speed}, ETA {eta}");
        foreach (var failure in report.Failures)
            text.WriteLine($"failed: item '{failure.ItemId}' (shard {failure.ShardIndex + 1}/{failure.ShardCount}, work item {failure.WorkItemId}): {failure.Error}");
        foreach (var warning in report.Warnings)
            text.WriteLine($"warning: {warning}");
        return text.ToString();
    }

    private static string Counts(JobCounts c) =>
        $"{c.Done} done, {c.Running} running, {c.Pending} pending, {c.Failed} failed (of {c.Done + c.Running + c.Pending + c.Failed})";

    private static string State(JobState state) => state switch
    {
        JobState.CompletedWithFailures => "completed with failures",
        _ => state.ToString().ToLowerInvariant(),
    };

    private static string Hours(double seconds) => string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600:F2} h");

    private static string Clock(double seconds)
    {
        var time = TimeSpan.FromSeconds(Math.Round(Math.Max(0, seconds)));
        return time.TotalDays >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)time.TotalDays}d {time:hh\\:mm\\:ss}")
            : time.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture);
    }
}
