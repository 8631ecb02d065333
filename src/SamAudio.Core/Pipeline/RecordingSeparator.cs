using System.Diagnostics;
using System.Globalization;
using NAudio.Wave;
using SamAudio.Core.Activity;
using SamAudio.Core.Audio;
using SamAudio.Core.Outputs;
using SamAudio.Core.Provenance;
using SamAudio.Core.Segmentation;
using SamAudio.Core.Separation;

namespace SamAudio.Core.Pipeline;

/// <summary>
/// Runs one recording through the data path: decode (streaming) -> time range -> channel select or downmix ->
/// resample to the model rate -> segmented separation -> WAV outputs, activity tables and <c>run.json</c>.
/// A problem with the recording fails this item only: the result is a <see cref="RunRecord"/> with status
/// <c>failed</c> and the error, and no partial audio is left behind.
/// </summary>
public sealed class RecordingSeparator
{
    private readonly ISeparationEngine _engine;
    private readonly ActivityOptions _activity;

    public RecordingSeparator(ISeparationEngine engine, ActivityOptions? activity = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        _engine = engine;
        _activity = activity ?? new ActivityOptions();
    }

    /// <summary>Separates the recording and writes every output and <c>run.json</c> atomically.</summary>
    public async Task<RunRecord> RunAsync(SeparationRequest request, IProgress<ItemProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = DateTimeOffset.UtcNow;
        long t0 = Stopwatch.GetTimestamp();
        var run = new RunState(request);
        RunRecord record;
        try
        {
            record = await SeparateAsync(request, run, started, progress, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or FormatException or NotSupportedException or ArgumentException or InvalidOperationException or UnauthorizedAccessException)
        {
            record = run.ToRecord("failed", _engine.Description, started, t0) with { Error = ex.Message };
        }

        Directory.CreateDirectory(request.OutputFolder);
        await AtomicFile.WriteAllTextAsync(Path.Combine(request.OutputFolder, "run.json"), ProvenanceJson.Serialize(record), cancellationToken).ConfigureAwait(false);
        return record;
    }

    private async Task<RunRecord> SeparateAsync(SeparationRequest request, RunState run, DateTimeOffset started, IProgress<ItemProgress>? progress, CancellationToken cancellationToken)
    {
        long t0 = Stopwatch.GetTimestamp();
        var hashTask = Task.Run(() => FileHash.Sha256Async(request.RecordingPath, cancellationToken), cancellationToken);
        using var reader = AudioReaders.Open(request.RecordingPath);
        var info = reader.Info;
        var description = _engine.Description;
        var range = TimeRange.Resolve(request, info, run.Warnings);
        run.Range = range;
        if (!request.Channel.IsMix && request.Channel.ChannelIndex >= info.Channels)
        {
            throw new ArgumentException($"channel {request.Channel} was asked for, but the recording has {info.Channels} channel(s) (0..{info.Channels - 1}); use \"mix\" or a valid index.");
        }

        reader.SeekToFrame(range.StartFrame);
        ISampleProvider source = new FrameRangeSource(reader, range.Frames);
        if (info.Channels > 1)
        {
            run.Warnings.Add(request.Channel.IsMix ? $"downmixed {info.Channels} channels to mono" : $"used channel {request.Channel} of {info.Channels}");
        }

        source = new ChannelSelector(source, request.Channel);
        int modelRate = description.SampleRate;
        if (info.SampleRate != modelRate)
        {
            run.Warnings.Add($"resampled from {info.SampleRate} Hz to the model's {modelRate} Hz");
            source = new Resampler(source, modelRate);
        }

        var segmentation = SegmentationOptions.FromSeconds(
            request.SegmentSeconds ?? description.SegmentSeconds, request.OverlapSeconds ?? description.OverlapSeconds, modelRate);
        var prompts = await _engine.EncodePromptsAsync(request.Prompts.Select(p => p.Text).ToList(), cancellationToken).ConfigureAwait(false);
        run.Prompts = prompts;
        run.Warnings.AddRange(UnfamiliarPromptWarnings(prompts, description.ModelId));
        bool resampleBack = request.OutputRate == OutputRateMode.Source && info.SampleRate != modelRate;
        int outputRate = resampleBack ? info.SampleRate : modelRate;
        run.OutputSampleRate = outputRate;
        var outputs = new ItemOutputFiles(request.OutputFolder, info.MetadataChunks);

        using var sink = new ItemOutputSink(request.Prompts, (prompt, kind) => outputs.Open(prompt, kind, modelRate, outputRate, range.Frames), () => new ActivityDetector(modelRate, range.StartSeconds, _activity));
        var timed = new TimedEngine(_engine);
        double totalSeconds = range.Frames / (double)info.SampleRate;
        var windowProgress = progress is null ? null : new SynchronousProgress<long>(n => progress.Report(new ItemProgress(n / (double)modelRate, totalSeconds)));
        progress?.Report(new ItemProgress(0, totalSeconds));
        long tSep = Stopwatch.GetTimestamp();
        await new SegmentedSeparator(timed, segmentation).RunAsync(source, prompts, sink, windowProgress, cancellationToken).ConfigureAwait(false);
        run.Timings["separate"] = Stopwatch.GetElapsedTime(tSep).TotalSeconds;
        run.Timings["model"] = timed.Elapsed.TotalSeconds;
        run.Timings["write"] = sink.Elapsed.TotalSeconds;
        run.Warnings.AddRange(reader.Warnings);

        // Forensic check before anything becomes visible: a recording that is not the one named fails.
        string sha = await hashTask.ConfigureAwait(false);
        run.Input = InputRecordFor(request, info, sha);
        if (request.ExpectedSha256 is { } expected && !string.Equals(expected, sha, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidDataException($"sha256 of '{request.RecordingLabel}' is {sha}, but the manifest expects {expected}; check that the right file was uploaded.");
        }

        long tFinish = Stopwatch.GetTimestamp();
        await outputs.CompleteAsync(sink, run, cancellationToken).ConfigureAwait(false);
        await outputs.WriteActivityAsync(sink, request.Prompts, modelRate / 2.0, run, cancellationToken).ConfigureAwait(false);
        run.Timings["finalize"] = Stopwatch.GetElapsedTime(tFinish).TotalSeconds;
        return run.ToRecord("completed", description, started, t0);
    }

    private static IEnumerable<string> UnfamiliarPromptWarnings(PromptBatch prompts, string model) =>
        (prompts.Interpretations ?? []).Select((reading, i) => (reading, text: prompts.Texts[i]))
            .Where(p => p.reading.Reading == PromptInterpretation.Unfamiliar)
            .Select(p => string.Create(CultureInfo.InvariantCulture,
                $"prompt '{p.text}' is unlike every sound {model} was trained on (nearest: '{p.reading.Captions[0]}', {p.reading.Class}, " +
                $"similarity {p.reading.Similarity:F2}); expect little or no separation, or name a sound from the model card"));

    private static InputRecord InputRecordFor(SeparationRequest request, AudioFileInfo info, string sha) =>
        new(request.RecordingLabel, sha, new FileInfo(request.RecordingPath).Length, info.Container, info.Encoding,
            info.SampleRate, info.Channels, info.Frames, info.Frames / (double)info.SampleRate);
}

/// <summary>How far an item has got, in seconds of the recording.</summary>
public readonly record struct ItemProgress(double DoneSeconds, double TotalSeconds);
