using System.CommandLine;
using System.Text.Json;
using SamAudio.Core.Audio;
using SamAudio.Core.Manifests;
using SamAudio.Core.Pipeline;
using SamAudio.Core.Provenance;
using SamAudio.Core.Separation;

namespace SamAudio.Cli.Commands;

/// <summary><c>samaudio separate recording --prompt TEXT</c>: one recording, one or more prompts.</summary>
internal static class SeparateCommand
{
    public static Command Create(CliConsole console)
    {
        var audio = new Argument<FileInfo>("audio") { Description = "Recording to separate (WAV, RF64/BWF, FLAC, MP3, Ogg Vorbis). It is only read." };
        var prompts = new Option<string[]>("--prompt", "-p") { Description = "What to isolate, e.g. \"owl hooting\". Repeat for several.", Required = true, AllowMultipleArgumentsPerToken = false };
        var output = CliOptions.Out();
        var model = CliOptions.Model();
        var mode = new Option<OutputMode>("--output") { Description = "Which files to write per prompt: target, residual or both.", DefaultValueFactory = _ => OutputMode.Target };
        var channel = new Option<string>("--channel") { Description = "\"mix\" (average of all channels) or a zero-based channel index.", DefaultValueFactory = _ => "mix" };
        var device = CliOptions.Device();
        var rate = CliOptions.SampleRate();
        var faithful = CliOptions.Faithful();
        var background = CliOptions.Background();
        var seed = CliOptions.Seed();
        var steps = CliOptions.Steps();
        var quiet = CliOptions.Quiet();
        var json = CliOptions.Json();
        var longAudio = CliOptions.LongAudio();
        var report = CliOptions.Report();
        var command = new Command("separate", "Isolate what the prompts describe from one recording.") { audio, prompts, output, model, mode, channel, device, rate, faithful, background, seed, steps, longAudio, quiet, json, report };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var file = parse.GetRequiredValue(audio);
            bool asJson = parse.GetValue(json);
            var texts = parse.GetRequiredValue(prompts).Select(PromptText.Normalize).ToList();
            var problems = Validate(file, texts, parse.GetRequiredValue(channel), out var selection);
            if (problems.Count > 0)
            {
                return await JobSummary.InvalidAsync(console, asJson, "separate", problems).ConfigureAwait(false);
            }

            bool isQuiet = parse.GetValue(quiet) || asJson;
            using var logging = CliLogging.Create(isQuiet);
            await using var engine = await EngineFactory.TryOpenAsync(
                console, parse.GetValue(model) ?? EngineFactory.DefaultModel, parse.GetRequiredValue(device), new SamplerSettings(parse.GetValue(seed), parse.GetValue(steps)), logging.CreateLogger("samaudio"), cancellationToken,
                parse.GetRequiredValue(longAudio)).ConfigureAwait(false);
            if (engine is null)
            {
                return ExitCodes.InvalidInput;
            }

            var outputMode = parse.GetValue(mode);
            var slugs = PromptSlug.Assign(texts);
            string itemId = SafeItemId(file.Name);
            var request = new SeparationRequest
            {
                JobId = "separate",
                ItemId = itemId,
                RecordingPath = file.FullName,
                RecordingLabel = file.Name,
                Prompts = texts.Select((t, i) => new ItemPrompt(t, slugs[i], outputMode != OutputMode.Residual, outputMode != OutputMode.Target)).ToList(),
                Channel = selection,
                OutputRate = parse.GetValue(rate),
                Faithful = parse.GetValue(faithful),
                Background = CliOptions.Suppression(parse.GetValue(background)),
                Seed = parse.GetValue(seed),
                Steps = parse.GetValue(steps),
                OutputFolder = Path.Combine(parse.GetRequiredValue(output), itemId),
                Fingerprint = string.Empty,
            };
            request = request with { Fingerprint = RunFingerprint.Compute(engine.Description, request) };
            var progress = ConsoleProgress.For(console, isQuiet);
            var itemProgress = progress is null ? null : new Progress<ItemProgress>(p => progress.Report(new BatchProgress(0, 1, itemId, p)));
            var record = await new RecordingSeparator(engine).RunAsync(request, itemProgress, cancellationToken).ConfigureAwait(false);
            progress?.Finish();
            if (parse.GetValue(report) && record.Status == "completed")
            {
                await engine.DisposeAsync().ConfigureAwait(false); // the report needs no model: its memory goes back first
                await ReportCommand.WriteAsync(console, request.OutputFolder, file.DirectoryName!, isQuiet, cancellationToken).ConfigureAwait(false);
            }

            return await ReportAsync(console, record, request.OutputFolder, asJson).ConfigureAwait(false);
        });
        return command;
    }

    private static List<(string, string)> Validate(FileInfo file, List<string> texts, string channel, out ChannelSelection selection)
    {
        var problems = new List<(string, string)>();
        if (!file.Exists)
        {
            problems.Add(("audio", $"file not found: {file.FullName}; check the path."));
        }

        for (int i = 0; i < texts.Count; i++)
        {
            if (texts[i].Length == 0)
            {
                problems.Add(($"--prompt[{i}]", "the prompt is empty; describe the sound to isolate, e.g. \"owl hooting\"."));
            }
        }

        if (texts.Distinct(StringComparer.Ordinal).Count() != texts.Count)
        {
            problems.Add(("--prompt", "the same prompt is given twice; give each prompt once."));
        }

        if (!ChannelSelection.TryParse(channel, out selection))
        {
            problems.Add(("--channel", $"'{channel}' is not \"mix\" or a non-negative channel index."));
        }

        return problems;
    }

    private static string SafeItemId(string fileName)
    {
        var chars = Path.GetFileNameWithoutExtension(fileName).Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-').ToArray();
        string id = new string(chars).Trim('-');
        return id.Length == 0 ? "recording" : id[..Math.Min(64, id.Length)];
    }

    private static async Task<int> ReportAsync(CliConsole console, RunRecord record, string folder, bool json)
    {
        if (json)
        {
            await console.Out.WriteLineAsync(JsonSerializer.Serialize(new { record.Status, output = Path.GetFullPath(folder), record.Error, record.Outputs }, ProvenanceJson.Options)).ConfigureAwait(false);
        }
        else if (record.Status == "completed")
        {
            foreach (string warning in record.Warnings)
            {
                await console.Error.WriteLineAsync($"warning: {warning}").ConfigureAwait(false);
            }

            await console.Error.WriteLineAsync($"done: {record.Outputs.Count} file(s) in {folder}").ConfigureAwait(false);
        }
        else
        {
            await console.Error.WriteLineAsync($"failed: {record.Error}").ConfigureAwait(false);
        }

        return record.Status == "completed" ? ExitCodes.Success : ExitCodes.PartialFailure;
    }
}
