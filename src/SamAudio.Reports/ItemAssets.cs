using SamAudio.Core.Audio;
using SamAudio.Core.Outputs;
using SamAudio.Core.Provenance;
using SamAudio.Reports.Excerpts;
using SamAudio.Reports.Signals;
using SamAudio.Reports.Spectrograms;

namespace SamAudio.Reports;

/// <summary>A spectrogram picture of one signal of an item; <paramref name="Path"/> is relative to the report folder.</summary>
internal sealed record Picture(string Title, string Path, string Source, int Width, int Height);

/// <summary>One listening copy of an excerpt: which signal, and the file relative to the report folder.</summary>
internal sealed record ExcerptClip(string Signal, string Path, long ClippedSamples);

/// <summary>The excerpts of one window of recording time, chosen for one prompt's region.</summary>
internal sealed record ExcerptSet(string Prompt, ExcerptWindow Window, IReadOnlyList<ExcerptClip> Clips);

/// <summary>What was drawn and cut for one item, and the files written (relative to the report folder).</summary>
internal sealed record ItemAssets(IReadOnlyList<Picture> Pictures, IReadOnlyList<ExcerptSet> Excerpts, IReadOnlyList<string> Notes, IReadOnlyList<string> Files)
{
    public static ItemAssets None { get; } = new([], [], [], []);

    /// <summary>
    /// Spectrograms of the mixture and of every target and residual, on one dB scale per item, and excerpts around
    /// each prompt's strongest regions, written under <c>report/item-NNN/</c> (names from indexes, never from ids).
    /// </summary>
    public static async Task<ItemAssets> WriteAsync(string reportFolder, int index, ReportItem item, ReportOptions options, IProgress<ReportProgress>? progress, CancellationToken cancellationToken)
    {
        if (item.Run is not { Status: "completed" } run) return None;
        string assetFolder = $"report/item-{index + 1:000}";
        var notes = new List<string>();
        var signals = await SignalsAsync(reportFolder, item, run, options, notes, cancellationToken).ConfigureAwait(false);
        // The signals are analysed side by side, at most one per processor, and a long one is itself cut into runs (SpectrogramOptions.Parallelism).
        var analyzer = new SpectrogramAnalyzer(options.Spectrogram);
        var results = new Spectrogram[signals.Count];
        var gate = new object();
        await Parallel.ForEachAsync(Enumerable.Range(0, signals.Count), new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var entry = signals[i];
            var step = progress is null ? null : new SyncProgress<double>(f =>
            {
                lock (gate) progress.Report(new ReportProgress(item.Id, $"spectrogram of {entry.Title}", f));
            });
            results[i] = await analyzer.AnalyzeAsync(entry.Source, item.StartSeconds, step, ct).ConfigureAwait(false);
        }).ConfigureAwait(false);
        var spectrograms = signals.Select((entry, i) => (Entry: entry, Spectrogram: results[i])).ToList();

        double loudest = spectrograms.Count == 0 ? 0 : spectrograms.Max(s => s.Spectrogram.MaxDb);
        // Not finite only when a reader hands back garbage; the colour bar's ticks step down from the top, so keep it finite.
        double topDb = double.IsFinite(loudest) && loudest > -200 ? Math.Ceiling(loudest / 10) * 10 : 0;
        var files = new List<string>();
        var pictures = new List<Picture>();
        foreach (var (entry, spectrogram) in spectrograms)
        {
            var regions = entry.Prompt is { } p ? item.Activity.GetValueOrDefault(p) ?? [] : item.Activity.Values.SelectMany(r => r).ToList();
            byte[] png = SpectrogramRenderer.RenderPng(spectrogram, entry.Title, regions, topDb, options.Spectrogram.RangeDb);
            string path = $"{assetFolder}/{entry.Name}.png";
            await AtomicFile.WriteAllBytesAsync(Path.Combine(reportFolder, path), png, cancellationToken).ConfigureAwait(false);
            var layout = SpectrogramRenderer.LayoutFor(spectrogram);
            pictures.Add(new Picture(entry.Title, path, entry.Source.Description, layout.Width, layout.Height));
            files.Add(path);
        }

        var excerpts = await WriteExcerptsAsync(reportFolder, assetFolder, item, run, signals, options, files, cancellationToken).ConfigureAwait(false);
        return new ItemAssets(pictures, excerpts, notes, files);
    }

    private static async Task<List<ExcerptSet>> WriteExcerptsAsync(
        string reportFolder, string assetFolder, ReportItem item, RunRecord run, List<SignalEntry> signals, ReportOptions options, List<string> files, CancellationToken cancellationToken)
    {
        var sets = new List<ExcerptSet>();
        for (int p = 0; p < run.Prompts.Count; p++)
        {
            var prompt = run.Prompts[p];
            var regions = item.Activity.GetValueOrDefault(prompt.Text) ?? [];
            var windows = ExcerptPlanner.Plan(regions, item.StartSeconds, item.StartSeconds + item.DurationSeconds, options.ExcerptsPerPrompt, options.MaxExcerptSeconds);
            for (int w = 0; w < windows.Count; w++)
            {
                var clips = new List<ExcerptClip>();
                foreach (var entry in signals.Where(s => s.Prompt is null || s.Prompt == prompt.Text))
                {
                    var source = entry.Source;
                    long from = (long)Math.Round((windows[w].StartSeconds - item.StartSeconds) * source.SampleRate);
                    var samples = new float[(int)Math.Min(source.Frames - Math.Min(from, source.Frames), (long)Math.Round((windows[w].EndSeconds - windows[w].StartSeconds) * source.SampleRate))];
                    using (var reader = await source.OpenAtAsync(from, cancellationToken).ConfigureAwait(false))
                    {
                        samples = samples[..reader.ReadFully(samples)];
                    }

                    string path = $"{assetFolder}/p{p + 1}-excerpt{w + 1}.{entry.Kind}.wav";
                    byte[] wav = Pcm16Wav.Encode(samples, source.SampleRate, out long clipped);
                    await AtomicFile.WriteAllBytesAsync(Path.Combine(reportFolder, path), wav, cancellationToken).ConfigureAwait(false);
                    clips.Add(new ExcerptClip(entry.Kind, path, clipped));
                    files.Add(path);
                }

                sets.Add(new ExcerptSet(prompt.Text, windows[w], clips));
            }
        }

        return sets;
    }

    private sealed record SignalEntry(string Name, string Title, string Kind, string? Prompt, SignalSource Source);

    /// <summary>The mixture (when it can be had) and every audio output of the item, in run order.</summary>
    private static async Task<List<SignalEntry>> SignalsAsync(string reportFolder, ReportItem item, RunRecord run, ReportOptions options, List<string> notes, CancellationToken cancellationToken)
    {
        var outputs = new List<SignalEntry>();
        for (int p = 0; p < run.Prompts.Count; p++)
        {
            foreach (var output in run.Outputs.Where(o => o.Prompt == run.Prompts[p].Text && o.Kind is "target" or "residual"))
            {
                var source = ReportPaths.IsPlainRelative(output.Path) ? await OutputAsync(reportFolder, item.Folder, output.Path, options, cancellationToken).ConfigureAwait(false) : null;
                if (source is null)
                {
                    notes.Add($"{output.Path} is not in the item folder; it is not shown.");
                    continue;
                }

                outputs.Add(new SignalEntry($"p{p + 1}.{output.Kind}", $"{output.Path} ({output.Kind})", output.Kind, run.Prompts[p].Text, source));
            }
        }

        var mixture = await MixtureAsync(item.Id, run, options, outputs, notes, cancellationToken).ConfigureAwait(false);
        return mixture is null ? outputs : [new SignalEntry("mixture", "mixture", "mixture", null, mixture), .. outputs];
    }

    /// <summary>An audio output of the item: a file in its folder, or what <see cref="ReportOptions.Audio"/> opens; null when there is none.</summary>
    private static async Task<SignalSource?> OutputAsync(string reportFolder, string itemFolder, string outputPath, ReportOptions options, CancellationToken cancellationToken)
    {
        string relative = itemFolder.Length == 0 ? outputPath : $"{itemFolder}/{outputPath}";
        if (options.Audio is { } audio)
        {
            return await SignalSource.FromStreamAsync(ct => audio.OpenOutputAsync(relative, ct), relative, outputPath, cancellationToken).ConfigureAwait(false);
        }

        string path = Path.Combine(reportFolder, relative);
        return File.Exists(path) ? SignalSource.FromFile(path, outputPath) : null;
    }

    private static async Task<SignalSource?> MixtureAsync(string itemId, RunRecord run, ReportOptions options, List<SignalEntry> outputs, List<string> notes, CancellationToken cancellationToken)
    {
        if (options.Audio is { } audio && run.Input is { } stored && ChannelSelection.TryParse(run.Parameters.Channel, out var storedChannel))
        {
            if (await audio.OpenRecordingAsync(itemId, stored, cancellationToken).ConfigureAwait(false) is { } stream)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
                return SignalSource.FromStream(ct => audio.OpenRecordingAsync(itemId, stored, ct), stored.Recording, $"{stored.Recording} (channel {run.Parameters.Channel}), read at the version its SHA-256 was recorded from", storedChannel, run.Parameters.StartFrame, run.Parameters.EndFrame, stored.SampleRate);
            }

            notes.Add($"The recording {stored.Recording} is no longer the one this item was separated from; it is not shown.");
        }
        else if (run.Input is { } input && options.RecordingsFolder is { } folder && ReportPaths.IsPlainRelative(input.Recording)
            && Path.Combine(folder, input.Recording) is var path && File.Exists(path))
        {
            string sha = await FileHash.Sha256Async(path, cancellationToken).ConfigureAwait(false);
            if (sha == input.Sha256 && ChannelSelection.TryParse(run.Parameters.Channel, out var channel))
            {
                return SignalSource.FromRecording(path, $"{input.Recording} (channel {run.Parameters.Channel}), SHA-256 checked", channel, run.Parameters.StartFrame, run.Parameters.EndFrame, input.SampleRate);
            }

            notes.Add($"The recording found for this item has SHA-256 {sha}, not the recorded {input.Sha256}; it is not shown.");
        }

        var pair = outputs.GroupBy(o => o.Prompt).FirstOrDefault(g => g.Any(o => o.Kind == "target") && g.Any(o => o.Kind == "residual"));
        if (pair is not null)
        {
            var target = pair.First(o => o.Kind == "target").Source;
            var residual = pair.First(o => o.Kind == "residual").Source;
            notes.Add("The mixture shown is target + residual of the first prompt with both (the recording was not at hand).");
            return SignalSource.Sum(target, residual, "target + residual (the recording was not at hand)");
        }

        notes.Add("No mixture is shown: the recording was not at hand and no prompt has both a target and a residual.");
        return null;
    }
}
