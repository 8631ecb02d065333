using System.CommandLine;
using SamAudio.Core.Manifests;
using SamAudio.Core.Pipeline;
using SamAudio.Reports;

namespace SamAudio.Cli.Commands;

/// <summary><c>samaudio batch manifest.json</c>: every item of a prompt manifest through the model.</summary>
internal static class BatchCommand
{
    public static Command Create(CliConsole console)
    {
        var manifest = new Argument<FileInfo>("manifest") { Description = "Prompt manifest (samaudio.manifest/v1); recordings are relative to its folder." };
        var output = CliOptions.Out();
        var resume = new Option<bool>("--resume") { Description = "Skip items already completed with the same parameters; redo partial ones." };
        var model = CliOptions.Model();
        var device = CliOptions.Device();
        var rate = CliOptions.SampleRate();
        var seed = CliOptions.Seed();
        var longAudio = CliOptions.LongAudio();
        var quiet = CliOptions.Quiet();
        var json = CliOptions.Json();
        var report = CliOptions.Report();
        var command = new Command("batch", "Separate every recording of a prompt manifest.") { manifest, output, resume, model, device, rate, seed, longAudio, quiet, json, report };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var file = parse.GetRequiredValue(manifest);
            bool asJson = parse.GetValue(json);
            if (!file.Exists)
            {
                return await JobSummary.InvalidAsync(console, asJson, file.FullName, [("manifest", $"file not found: {file.FullName}; check the path.")]).ConfigureAwait(false);
            }

            var parsed = await ManifestReader.ReadFileAsync(file.FullName, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (parsed.Manifest is not { } m)
            {
                return await JobSummary.InvalidAsync(console, asJson, file.Name, parsed.Errors.Select(e => (e.Path, e.Message))).ConfigureAwait(false);
            }

            bool isQuiet = parse.GetValue(quiet);
            using var logging = CliLogging.Create(isQuiet || asJson);
            var logger = logging.CreateLogger("samaudio");
            string modelName = parse.GetValue(model) ?? m.Model;
            await using var engine = await EngineFactory.TryOpenAsync(console, modelName, parse.GetRequiredValue(device), parse.GetValue(seed), logger, cancellationToken, longAudio: parse.GetRequiredValue(longAudio)).ConfigureAwait(false);
            if (engine is null)
            {
                return ExitCodes.InvalidInput;
            }

            var options = new BatchOptions
            {
                OutputRoot = parse.GetRequiredValue(output),
                Resume = parse.GetValue(resume),
                OutputRate = parse.GetValue(rate),
                Seed = parse.GetValue(seed),
            };
            var progress = ConsoleProgress.For(console, isQuiet || asJson);
            string jobFolder = Path.Combine(options.OutputRoot, m.JobId);
            // The run rewrites job.json without its report entry, and redone items change what the page shows: a
            // report already in the job folder (a resumed or repeated run) is rebuilt, never left describing old outputs.
            bool hadReport = File.Exists(Path.Combine(jobFolder, ReportWriter.PageName));
            var job = await new BatchRunner(engine).RunAsync(m, file.FullName, options, progress, cancellationToken).ConfigureAwait(false);
            progress?.Finish();
            if (parse.GetValue(report) || hadReport)
            {
                await ReportCommand.WriteAsync(console, jobFolder, file.DirectoryName!, isQuiet || asJson, cancellationToken).ConfigureAwait(false);
            }

            return await JobSummary.ReportAsync(console, job, jobFolder, asJson).ConfigureAwait(false);
        });
        return command;
    }
}
