using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SamAudio.Core.Provenance;
using SamAudio.Reports;

namespace SamAudio.Cli.Commands;

/// <summary><c>samaudio report out/jobId</c>: rebuilds report.html from a job's (or a separated item's) outputs alone.</summary>
internal static class ReportCommand
{
    public static Command Create(CliConsole console)
    {
        var folder = new Argument<DirectoryInfo>("folder") { Description = "A job folder (with job.json) written by `samaudio batch`, or an item folder (with run.json) written by `samaudio separate`." };
        var recordings = new Option<DirectoryInfo?>("--recordings") { Description = "Folder the recordings' names in run.json are relative to (the manifest's folder); the mixture is shown from there when its SHA-256 matches." };
        var quiet = CliOptions.Quiet();
        var json = CliOptions.Json();
        var command = new Command("report", "Write report.html (spectrograms, excerpts, activity, provenance) from existing outputs.") { folder, recordings, quiet, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var dir = parse.GetRequiredValue(folder);
            bool asJson = parse.GetValue(json);
            try
            {
                var result = await WriteAsync(console, dir.FullName, parse.GetValue(recordings)?.FullName, parse.GetValue(quiet) || asJson, cancellationToken).ConfigureAwait(false);
                if (asJson)
                {
                    await console.Out.WriteLineAsync(JsonSerializer.Serialize(new { report = result.ReportPath, files = result.Files }, ProvenanceJson.Options)).ConfigureAwait(false);
                }

                return ExitCodes.Success;
            }
            catch (FileNotFoundException e)
            {
                await console.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                return ExitCodes.InvalidInput;
            }
        });
        return command;
    }

    /// <summary>Writes the report of <paramref name="folder"/>, with a progress line per picture unless <paramref name="quiet"/>.</summary>
    public static async Task<ReportResult> WriteAsync(CliConsole console, string folder, string? recordingsFolder, bool quiet, CancellationToken cancellationToken)
    {
        // After a separation in the same process (batch/separate --report) its buffers are garbage but still held by the
        // process; returning them first lets the report reuse that memory instead of adding to the separation's peak
        // working set (docs/benchmarks.md, "Report cost").
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var clock = Stopwatch.StartNew();
        var progress = quiet ? null : new ReportLines(console.Error);
        var result = await new ReportWriter(new ReportOptions { RecordingsFolder = recordingsFolder }).WriteAsync(folder, progress, cancellationToken).ConfigureAwait(false);
        if (!quiet)
        {
            await console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"report: {result.ReportPath} ({result.Files.Count} file(s), {clock.Elapsed.TotalSeconds:F1} s)")).ConfigureAwait(false);
        }

        return result;
    }

    /// <summary>One line per picture when it starts and then one every few seconds, so a long recording shows it is moving.</summary>
    private sealed class ReportLines(TextWriter error) : IProgress<ReportProgress>
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly HashSet<(string, string)> _started = [];
        private TimeSpan _last;

        public void Report(ReportProgress value)
        {
            // Pictures are made side by side: a line when each starts, then one every few seconds.
            bool newStep = _started.Add((value.ItemId, value.Step));
            if (!newStep && _clock.Elapsed - _last < TimeSpan.FromSeconds(5)) return;
            _last = _clock.Elapsed;
            error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"report: {value.ItemId}: {value.Step} {value.Fraction * 100,5:F1}%"));
        }
    }
}
