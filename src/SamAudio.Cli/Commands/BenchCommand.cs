using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using SamAudio.Core.Pipeline;
using SamAudio.Core.Provenance;
using SamAudio.Core.Separation;

namespace SamAudio.Cli.Commands;

/// <summary>
/// <c>samaudio bench --minutes N</c>: synthesises a deterministic recording of N minutes, runs the full
/// pipeline on it (decode, resample, windows, model, overlap-add, write, activity, hashes) and prints the
/// speed in x real time and the process's peak memory. Peak memory must not grow with the recording's length.
/// </summary>
internal static class BenchCommand
{
    public static Command Create(CliConsole console)
    {
        var minutes = new Option<double>("--minutes") { Description = "Length of the synthetic recording.", DefaultValueFactory = _ => 10 };
        var rate = new Option<int>("--rate") { Description = "Sample rate of the synthetic recording (Hz).", DefaultValueFactory = _ => 48_000 };
        var promptCount = new Option<int>("--prompts") { Description = "Number of prompts separated at once.", DefaultValueFactory = _ => 1 };
        var keep = new Option<string?>("--keep-recording") { Description = "Also keep the synthetic recording at this path (to measure other paths, e.g. the worker, on the same audio)." };
        var model = CliOptions.Model();
        var device = CliOptions.Device();
        var sampleRate = CliOptions.SampleRate();
        var quiet = CliOptions.Quiet();
        var json = CliOptions.Json();
        var command = new Command("bench", "Measure speed (x real time) and peak memory of the full pipeline on a synthetic recording.")
        {
            minutes, rate, promptCount, keep, model, device, sampleRate, quiet, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            double length = parse.GetValue(minutes);
            int prompts = parse.GetValue(promptCount);
            if (length <= 0 || prompts is < 1 or > 16)
            {
                return await JobSummary.InvalidAsync(console, parse.GetValue(json), "bench", [("--minutes/--prompts", "minutes must be positive and prompts between 1 and 16.")]).ConfigureAwait(false);
            }

            bool isQuiet = parse.GetValue(quiet) || parse.GetValue(json);
            using var logging = CliLogging.Create(isQuiet);
            await using var engine = await EngineFactory.TryOpenAsync(
                console, parse.GetValue(model) ?? EngineFactory.DefaultModel, parse.GetRequiredValue(device), new SamplerSettings(0, null), logging.CreateLogger("samaudio"), cancellationToken).ConfigureAwait(false);
            if (engine is null)
            {
                return ExitCodes.InvalidInput;
            }

            string folder = Directory.CreateTempSubdirectory("samaudio-bench-").FullName;
            try
            {
                string input = Path.Combine(folder, "bench.wav");
                var synth = Stopwatch.StartNew();
                BenchSignal.Write(input, length, parse.GetValue(rate), seed: 1);
                synth.Stop();
                if (parse.GetValue(keep) is { Length: > 0 } kept)
                {
                    File.Copy(input, kept, overwrite: true);
                }

                var texts = new[] { "bird song", "mains hum", "wind noise", "rain", "speech", "traffic noise", "insects", "music" };
                var request = new SeparationRequest
                {
                    JobId = "bench",
                    ItemId = "bench",
                    RecordingPath = input,
                    RecordingLabel = "bench.wav",
                    Prompts = Enumerable.Range(0, prompts).Select(i => new ItemPrompt(texts[i % texts.Length] + (i >= texts.Length ? $" {i}" : ""), $"p{i}", true, false)).ToList(),
                    OutputRate = parse.GetValue(sampleRate),
                    OutputFolder = Path.Combine(folder, "out"),
                    Fingerprint = "bench",
                };
                var progress = ConsoleProgress.For(console, isQuiet);
                var itemProgress = progress is null ? null : new Progress<ItemProgress>(p => progress.Report(new BatchProgress(0, 1, "bench", p)));
                var clock = Stopwatch.StartNew();
                var record = await new RecordingSeparator(engine).RunAsync(request, itemProgress, cancellationToken).ConfigureAwait(false);
                clock.Stop();
                progress?.Finish();
                using var self = Process.GetCurrentProcess();
                var result = new
                {
                    model = engine.Description.ModelId,
                    provider = engine.Description.ExecutionProvider,
                    minutes = length,
                    sampleRate = parse.GetValue(rate),
                    prompts,
                    status = record.Status,
                    record.Error,
                    seconds = Math.Round(clock.Elapsed.TotalSeconds, 2),
                    realTimeFactor = Math.Round(length * 60 / clock.Elapsed.TotalSeconds, 1),
                    peakWorkingSetMiB = Math.Round(self.PeakWorkingSet64 / 1048576.0, 1),
                    gcHeapMiB = Math.Round(GC.GetGCMemoryInfo().HeapSizeBytes / 1048576.0, 1),
                    stages = record.TimingsSeconds,
                    synthesisSeconds = Math.Round(synth.Elapsed.TotalSeconds, 2),
                };
                if (parse.GetValue(json))
                {
                    await console.Out.WriteLineAsync(JsonSerializer.Serialize(result, ProvenanceJson.Options)).ConfigureAwait(false);
                }
                else
                {
                    await console.Out.WriteLineAsync(
                        $"{result.model} ({result.provider}), {length} min at {result.sampleRate} Hz, {prompts} prompt(s): {result.seconds} s, {result.realTimeFactor}x real time, peak working set {result.peakWorkingSetMiB} MiB").ConfigureAwait(false);
                }

                return record.Status == "completed" ? ExitCodes.Success : ExitCodes.Error;
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        });
        return command;
    }
}
