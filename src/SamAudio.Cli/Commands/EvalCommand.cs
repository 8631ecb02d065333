using System.CommandLine;
using System.Text.Json;
using SamAudio.Core.Audio;
using SamAudio.Core.Dsp;
using SamAudio.Core.Evaluation;
using SamAudio.Core.Manifests;
using SamAudio.Core.Pipeline;
using SamAudio.Core.Separation;
using static SamAudio.Cli.Commands.EvalReport;

namespace SamAudio.Cli.Commands;

/// <summary>
/// <c>samaudio eval eval.json</c>: runs every item through the real pipeline and scores the isolated target
/// against its reference: SI-SDR and its improvement over the mixture per item, per class and on average;
/// items with a silent reference (an absent sound) are scored by the target's energy relative to the mixture.
/// Items with an <c>events</c> file are soundscape items, scored over their events' spans against a
/// spectral-subtraction baseline (<see cref="SoundscapeScoring"/>). With <c>--tune-activity</c>, the soundscape items'
/// activity frames also choose and calibrate a pack's activity settings (<see cref="ActivityTuningFile"/>).
/// </summary>
internal static class EvalCommand
{
    public static Command Create(CliConsole console)
    {
        var file = new Argument<FileInfo>("eval") { Description = "Evaluation file: items of {mixture, prompt, reference, class}, paths relative to it." };
        var model = CliOptions.Model();
        var device = CliOptions.Device();
        var json = CliOptions.Json();
        var rate = new Option<int?>("--rate")
        {
            Description = "Score at this sample rate: each mixture and reference is first brought to it with a resampler flat to 99% of the lower Nyquist and 100 dB down from it, so the pipeline's resampling to the model's rate and back is part of the score. Default: each item's own rate.",
        };
        rate.Validators.Add(result =>
        {
            if (result.GetValue(rate) is { } hz && hz is < 8_000 or > 384_000)
            {
                result.AddError("--rate must be between 8000 and 384000 Hz.");
            }
        });
        var tune = new Option<FileInfo?>("--tune-activity")
        {
            Description = "Also choose the activity settings (thresholds, gap merging, shortest region) on the soundscape items and calibrate the confidence; writes them to this JSON file in the shape of a model pack's \"activity\" section.",
        };
        var background = CliOptions.Background("keep (default) or suppress: separate every item with the steady background taken out of its target (decision 0010), as `batch --background suppress` does.");
        var command = new Command("eval", "Score a model on mixtures with known references (SI-SDR, SI-SDR improvement).") { file, model, device, json, rate, tune, background };
        command.SetAction(async (parse, cancellationToken) =>
        {
            bool asJson = parse.GetValue(json);
            EvalSet set;
            try
            {
                set = EvalSet.Read(parse.GetRequiredValue(file).FullName);
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or JsonException)
            {
                return await JobSummary.InvalidAsync(console, asJson, "eval", [("eval", ex.Message)]).ConfigureAwait(false);
            }

            var tuneFile = parse.GetValue(tune);
            if (tuneFile is not null && !set.Items.Any(i => i.Events is not null))
            {
                return await JobSummary.InvalidAsync(console, asJson, "eval", [("--tune-activity", "the eval file has no soundscape items (items with an \"events\" file) to choose activity settings on.")]).ConfigureAwait(false);
            }

            using var logging = CliLogging.Create(quiet: true);
            await using var engine = await EngineFactory.TryOpenAsync(
                console, parse.GetValue(model) ?? EngineFactory.DefaultModel, parse.GetRequiredValue(device), new SamplerSettings(0, null), logging.CreateLogger("samaudio"), cancellationToken).ConfigureAwait(false);
            if (engine is null)
            {
                return ExitCodes.InvalidInput;
            }

            var separator = new RecordingSeparator(engine);
            var suppression = CliOptions.Suppression(parse.GetValue(background));
            int? scoreRate = parse.GetValue(rate);
            var soundscape = new SoundscapeScoring(path => ReadMono(path, scoreRate));
            var scores = new List<EvalScore>();
            string work = Directory.CreateTempSubdirectory("samaudio-eval-").FullName;
            try
            {
                foreach (var item in set.Items)
                {
                    scores.Add(await ScoreAsync(separator, soundscape, item, work, scoreRate, suppression, cancellationToken).ConfigureAwait(false));
                    if (!asJson)
                    {
                        await console.Error.WriteLineAsync(Describe(scores[^1])).ConfigureAwait(false);
                    }
                }
            }
            finally
            {
                Directory.Delete(work, recursive: true);
            }

            await ReportAsync(console, engine.Description.ModelId, scores, asJson).ConfigureAwait(false);
            if (tuneFile is not null)
            {
                var items = scores.Where(s => s.Soundscape is not null).Select(s => s.Soundscape!.Activity).ToList();
                await ActivityTuningFile.WriteAsync(tuneFile.FullName, NameWithFolder(parse.GetRequiredValue(file)), engine.Description, items, asJson ? console.Error : console.Out, cancellationToken).ConfigureAwait(false);
            }
            return scores.Any(s => s.Error is not null) ? ExitCodes.PartialFailure : ExitCodes.Success;
        });
        return command;
    }

    private static async Task<EvalScore> ScoreAsync(
        RecordingSeparator separator, SoundscapeScoring soundscape, EvalItem item, string work, int? rate, BackgroundSuppressionOptions? background, CancellationToken cancellationToken)
    {
        string text = PromptText.Normalize(item.Prompt);
        string mixturePath = item.Mixture;
        if (rate is { } hz)
        {
            mixturePath = Path.Combine(work, $"item-{item.Index:D5}.mixture.wav");
            using var reader = AudioReaders.Open(item.Mixture);
            NAudio.Wave.WaveFileWriter.CreateWaveFile(mixturePath, new NAudio.Wave.SampleProviders.SampleToWaveProvider(new Resampler(reader, hz, ResamplingDesign.Reference)));
        }

        var request = new SeparationRequest
        {
            JobId = "eval",
            ItemId = $"item-{item.Index:D5}",
            RecordingPath = mixturePath,
            RecordingLabel = Path.GetFileName(item.Mixture),
            Prompts = [new ItemPrompt(text, "target", true, false)],
            OutputFolder = Path.Combine(work, $"item-{item.Index:D5}"),
            Background = background,
            Fingerprint = "eval",
        };
        var record = await separator.RunAsync(request, null, cancellationToken).ConfigureAwait(false);
        if (record.Status != "completed")
        {
            return new EvalScore(item, null, null, null, null, record.Error, null, null);
        }

        var reading = record.Prompts[0].Interpretation;
        string targetPath = Path.Combine(request.OutputFolder, "target.target.wav");
        var target = ReadMono(targetPath);
        if (item.Events is not null)
        {
            int targetRate;
            using (var reader = AudioReaders.Open(targetPath))
            {
                targetRate = reader.Info.SampleRate;
            }

            var regions = SoundscapeScoring.ReadRegions(Path.Combine(request.OutputFolder, "target.activity.csv"));
            var scape = soundscape.Score(item, target, regions, targetRate);
            return new EvalScore(item, null, null, scape.MeanModel is { } m ? Round(m) : null, scape.AbsentEnergyDb is { } a ? Round(a) : null, null, reading, scape);
        }

        var mixture = ReadMono(mixturePath);
        var reference = ReadMono(item.Reference!, rate);
        if (SeparationMetrics.IsSilent(reference))
        {
            return new EvalScore(item, null, null, null, Round(SeparationMetrics.RelativeEnergyDb(target, mixture)), null, reading, null);
        }

        double siSdr = SeparationMetrics.SiSdr(target, reference);
        double baseline = SeparationMetrics.SiSdr(mixture, reference);
        return new EvalScore(item, Round(siSdr), Round(baseline), Round(siSdr - baseline), null, null, reading, null);
    }

    /// <summary>"folder/file.json": eval files are often all called soundscape.json, their folders tell them apart.</summary>
    private static string NameWithFolder(FileInfo file) => file.Directory is { } folder ? $"{folder.Name}/{file.Name}" : file.Name;

    /// <summary>The file's channels averaged, at <paramref name="rate"/> or its own rate.</summary>
    private static float[] ReadMono(string path, int? rate = null)
    {
        using var reader = AudioReaders.Open(path);
        NAudio.Wave.ISampleProvider mono = new ChannelSelector(reader, ChannelSelection.Mix);
        if (rate is { } hz)
        {
            mono = new Resampler(mono, hz, ResamplingDesign.Reference);
        }

        var samples = new List<float>((int)Math.Min(reader.Info.Frames, int.MaxValue));
        var buffer = new float[8192];
        int n;
        while ((n = mono.Read(buffer)) > 0)
        {
            samples.AddRange(buffer.AsSpan(0, n));
        }

        return [.. samples];
    }
}
