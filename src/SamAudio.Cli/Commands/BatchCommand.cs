using System.CommandLine;
using SamAudio.Core.Manifests;
using SamAudio.Core.Pipeline;
using SamAudio.Core.Provenance;
using SamAudio.Core.Separation;
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
        var faithful = CliOptions.Faithful("Faithful outputs for every item (items with \"purpose\": \"forensic\" or \"faithful\": true get them anyway): the model's outputs only decide a mask on the recording's own spectrum, so the outputs sum to the recording and only attenuate it. Recorded in run.json as parameters.mode.");
        var background = CliOptions.Background("keep (default) or suppress, for every item (items with \"background\": \"suppress\" get it anyway): suppress takes a field recording's steady background (wind, rain, a stream, hum) out of the targets into the residuals, window by window (decision 0010). Recorded in run.json as parameters.background.");
        var seed = CliOptions.Seed("Seed of a generative (flow) model's noise for items whose manifest sets no seed, 0 to 2147483647; recorded in run.json.");
        var steps = CliOptions.Steps("ODE steps of a generative (flow) model for items whose manifest sets no steps, 1 to 1000; default the model's own (16 for SAM-Audio).");
        var quiet = CliOptions.Quiet();
        var json = CliOptions.Json();
        var longAudio = CliOptions.LongAudio();
        var report = CliOptions.Report();
        var command = new Command("batch", "Separate every recording of a prompt manifest.") { manifest, output, resume, model, device, rate, faithful, background, seed, steps, longAudio, quiet, json, report };
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
            string deviceName = parse.GetRequiredValue(device);
            string longAudioName = parse.GetRequiredValue(longAudio);
            var options = new BatchOptions
            {
                OutputRoot = parse.GetRequiredValue(output),
                Resume = parse.GetValue(resume),
                OutputRate = parse.GetValue(rate),
                Faithful = parse.GetValue(faithful),
                SuppressBackground = parse.GetValue(background) == "suppress",
                Seed = parse.GetValue(seed),
                Steps = parse.GetValue(steps),
            };

            // The model opens here for the first item's settings, so a broken pack is reported before any work; an item
            // asking for another seed or step count later gets the model reopened with those (BatchRunner, SamplerEngineSlot).
            var first = new SamplerSettings(m.Items[0].Seed ?? options.Seed, m.Items[0].Steps ?? options.Steps);
            var opened = await EngineFactory.TryOpenAsync(console, modelName, deviceName, first, logger, cancellationToken, longAudioName).ConfigureAwait(false);
            if (opened is null)
            {
                return ExitCodes.InvalidInput;
            }

            await using var engines = new SamplerEngineSlot((sampler, ct) => Interlocked.Exchange(ref opened, null) is { } engine
                ? Task.FromResult(engine)
                : EngineFactory.OpenAsync(modelName, deviceName, sampler, logger, ct, longAudioName));
            var progress = ConsoleProgress.For(console, isQuiet || asJson);
            string jobFolder = Path.Combine(options.OutputRoot, m.JobId);
            // The run rewrites job.json without its report entry, and redone items change what the page shows: a
            // report already in the job folder (a resumed or repeated run) is rebuilt, never left describing old outputs.
            bool hadReport = File.Exists(Path.Combine(jobFolder, ReportWriter.PageName));
            JobRecord job;
            try
            {
                job = await new BatchRunner(engines).RunAsync(m, file.FullName, options, progress, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                if (Interlocked.Exchange(ref opened, null) is { } unused)
                {
                    await unused.DisposeAsync().ConfigureAwait(false);
                }
            }

            progress?.Finish();
            if (parse.GetValue(report) || hadReport)
            {
                await engines.DisposeAsync().ConfigureAwait(false); // the report needs no model: its memory goes back first
                await ReportCommand.WriteAsync(console, jobFolder, file.DirectoryName!, isQuiet || asJson, cancellationToken).ConfigureAwait(false);
            }

            return await JobSummary.ReportAsync(console, job, jobFolder, asJson).ConfigureAwait(false);
        });
        return command;
    }
}
