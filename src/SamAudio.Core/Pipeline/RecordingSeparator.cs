using System.Diagnostics;
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

    /// <summary>Separates with <paramref name="engine"/>; without <paramref name="activity"/>, activity is found with the model pack's settings, else the defaults.</summary>
    public RecordingSeparator(ISeparationEngine engine, ActivityOptions? activity = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        _engine = engine;
        _activity = activity ?? engine.Description.Activity ?? ActivityOptions.Defaults;
    }

    /// <summary>Separates the recording and writes every output and <c>run.json</c> atomically.</summary>
    public Task<RunRecord> RunAsync(SeparationRequest request, IProgress<ItemProgress>? progress = null, CancellationToken cancellationToken = default) =>
        RunAsync(request, progress, turn: null, cancellationToken);

    /// <summary>
    /// Separates the recording and writes every output and <c>run.json</c> atomically. Decoding starts at once, but the
    /// engine is first called when <paramref name="turn"/> is ready, and the turn is released as soon as this item
    /// makes no more calls to the engine (its model work is done, or it failed or was cancelled): from then on only
    /// its writers, hashes and records are left, and the next item may use the engine.
    /// </summary>
    internal async Task<RunRecord> RunAsync(SeparationRequest request, IProgress<ItemProgress>? progress, EngineTurn? turn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = DateTimeOffset.UtcNow;
        long t0 = Stopwatch.GetTimestamp();
        var run = new RunState(request) { Activity = _activity };
        try
        {
            AtomicFile.RemoveLeftovers(request.OutputFolder); // the item's folder is this run's: nothing half-written stays in it
        }
        catch
        {
            turn?.Release(); // the item after it still gets its turn
            throw;
        }

        RunRecord record;
        try
        {
            record = await SeparateAsync(request, run, started, progress, turn, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or FormatException or NotSupportedException or ArgumentException or InvalidOperationException or UnauthorizedAccessException)
        {
            record = run.ToRecord("failed", _engine.Description, started, t0) with { Error = ex.Message };
        }
        finally
        {
            turn?.Release();
        }

        Directory.CreateDirectory(request.OutputFolder);
        await AtomicFile.WriteAllTextAsync(Path.Combine(request.OutputFolder, "run.json"), ProvenanceJson.Serialize(record), cancellationToken).ConfigureAwait(false);
        return record;
    }

    private async Task<RunRecord> SeparateAsync(SeparationRequest request, RunState run, DateTimeOffset started, IProgress<ItemProgress>? progress, EngineTurn? turn, CancellationToken cancellationToken)
    {
        long t0 = Stopwatch.GetTimestamp();
        var hashTask = Task.Run(() => FileHash.Sha256Async(request.RecordingPath, cancellationToken), cancellationToken);
        using var reader = AudioReaders.Open(request.RecordingPath);
        var info = reader.Info;
        var description = _engine.Description;
        var sampler = new SamplerSettings(request.Seed, request.Steps);
        if (!sampler.IsServedBy(description))
        {
            // run.json must record the noise the output was drawn with: an engine opened with other settings is refused.
            throw new InvalidOperationException($"The item asks for {sampler}, but model '{description.ModelId}' was opened with seed {description.Sampler![SamplerSettings.SeedKey]}, steps {description.Sampler.GetValueOrDefault(SamplerSettings.StepsKey)}.");
        }

        var range = TimeRange.Resolve(request, info, run.Warnings);
        run.Range = range;
        var shard = new ShardRequest
        {
            Prompts = request.Prompts,
            Channel = request.Channel,
            SegmentSeconds = request.SegmentSeconds,
            OverlapSeconds = request.OverlapSeconds,
            OutputRate = request.OutputRate,
            Faithful = request.Faithful,
            Background = request.Background,
            RecordingName = request.RecordingLabel,
            NonFinite = request.NonFinite,
            Span = ShardSpan.Whole(range.StartFrame, range.EndFrame),
        };
        var outputs = new ItemOutputFiles(request.OutputFolder, info.MetadataChunks);
        double totalSeconds = range.Frames / (double)info.SampleRate;
        var itemProgress = progress is null ? null : new SynchronousProgress<double>(s => progress.Report(new ItemProgress(s, totalSeconds)));
        using var separated = await new ShardSeparator(_engine, _activity).SeparateAsync(reader, shard, outputs.OpenWav, turn?.Ready, itemProgress, cancellationToken).ConfigureAwait(false);
        turn?.Release(); // every window has been through the model
        run.Prompts = separated.Prompts;
        run.OutputSampleRate = separated.OutputSampleRate;
        run.Warnings.AddRange(separated.Warnings);
        foreach (var (stage, seconds) in separated.Timings)
        {
            run.Timings[stage] = seconds;
        }

        // Forensic check before anything becomes visible: a recording that is not the one named fails.
        string sha = await hashTask.ConfigureAwait(false);
        run.Input = InputRecordFor(request, info, sha);
        if (request.ExpectedSha256 is { } expected && !string.Equals(expected, sha, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidDataException($"sha256 of '{request.RecordingLabel}' is {sha}, but the manifest expects {expected}; check that the right file was uploaded.");
        }

        // The recording's own integrity data (FLAC's MD5 of its audio): free after a whole sequential decode, a
        // second decoding pass otherwise. A mismatch throws, so the item fails with no output committed.
        long tIntegrity = Stopwatch.GetTimestamp();
        var integrity = reader.VerifyIntegrity(cancellationToken: cancellationToken);
        run.Input = run.Input with { Integrity = integrity == IntegrityCheck.None ? null : integrity };
        run.Timings["integrity"] = Stopwatch.GetElapsedTime(tIntegrity).TotalSeconds;

        long tFinish = Stopwatch.GetTimestamp();
        await outputs.CompleteAsync(separated, run, cancellationToken).ConfigureAwait(false);
        var regions = separated.ActivityFrames()
            .Select(frames => new ActivityDetector(description.SampleRate, range.StartSeconds, _activity).Detect(frames)).ToList();
        await outputs.WriteActivityAsync(regions, request.Prompts, description.SampleRate / 2.0, run, cancellationToken).ConfigureAwait(false);
        run.Timings["finalize"] = Stopwatch.GetElapsedTime(tFinish).TotalSeconds;
        return run.ToRecord("completed", description, started, t0);
    }

    private static InputRecord InputRecordFor(SeparationRequest request, AudioFileInfo info, string sha) =>
        new(request.RecordingLabel, sha, new FileInfo(request.RecordingPath).Length, info.Container, info.Encoding,
            info.SampleRate, info.Channels, info.Frames, info.Frames / (double)info.SampleRate);
}

/// <summary>How far an item has got, in seconds of the recording.</summary>
public readonly record struct ItemProgress(double DoneSeconds, double TotalSeconds);
