using SamAudio.Core.Activity;
using SamAudio.Core.Audio;
using SamAudio.Core.Outputs;
using SamAudio.Core.Provenance;

namespace SamAudio.Core.Pipeline;

/// <summary>
/// Where an item's files go and how they are finished: WAV outputs (resampled back to the recording's rate
/// when asked, to its exact frame count), per-prompt activity CSVs and the Raven selection table, each
/// written atomically and recorded with its SHA-256.
/// </summary>
internal sealed class ItemOutputFiles(string folder, bool resampleBack, IReadOnlyList<MetadataChunk> metadata)
{
    private readonly string _work = Path.Combine(folder, ".work");

    /// <summary>Opens the model-rate writer of one output: the final file, or a working file to resample.</summary>
    public WavOutputWriter OpenModelRateWriter(ItemPrompt prompt, string kind, int modelRate)
    {
        string name = $"{prompt.Slug}.{kind}.wav";
        Directory.CreateDirectory(resampleBack ? _work : folder);
        return resampleBack
            ? WavOutputWriter.Create(Path.Combine(_work, name), modelRate, [])
            : WavOutputWriter.Create(Path.Combine(folder, name), modelRate, metadata);
    }

    public async Task CompleteAsync(ItemOutputSink sink, int modelRate, long sourceFrames, int sourceRate, RunState run, CancellationToken cancellationToken)
    {
        foreach (var (prompt, kind, writer) in sink.Writers())
        {
            writer.Complete();
            string name = $"{prompt.Slug}.{kind}.wav";
            string final = Path.Combine(folder, name);
            long frames = writer.FramesWritten;
            long clipped = writer.ClippedSamples;
            int rate = modelRate;
            if (resampleBack)
            {
                (frames, clipped) = ResampleToFile(Path.Combine(_work, name), final, sourceRate, sourceFrames, cancellationToken);
                rate = sourceRate;
            }

            if (clipped > 0)
            {
                run.Warnings.Add($"{name}: {clipped} sample(s) beyond full scale (kept as float, not clipped)");
            }

            run.Outputs.Add(await RecordAsync(name, kind, prompt.Text, cancellationToken, frames, rate, clipped).ConfigureAwait(false));
        }

        if (Directory.Exists(_work))
        {
            Directory.Delete(_work, recursive: true);
        }
    }

    public async Task WriteActivityAsync(ItemOutputSink sink, IReadOnlyList<ItemPrompt> prompts, double nyquist, RunState run, CancellationToken cancellationToken)
    {
        var selections = new List<(string, ActivityRegion)>();
        for (int p = 0; p < prompts.Count; p++)
        {
            var regions = sink.Activity[p].Complete();
            string name = $"{prompts[p].Slug}.activity.csv";
            await AtomicFile.WriteAllTextAsync(Path.Combine(folder, name), ActivityTables.ToCsv(regions), cancellationToken).ConfigureAwait(false);
            run.Outputs.Add(await RecordAsync(name, "activity", prompts[p].Text, cancellationToken).ConfigureAwait(false));
            selections.AddRange(regions.Select(r => (prompts[p].Text, r)));
        }

        await AtomicFile.WriteAllTextAsync(Path.Combine(folder, "selections.txt"), ActivityTables.ToRavenSelectionTable(selections, nyquist), cancellationToken).ConfigureAwait(false);
        run.Outputs.Add(await RecordAsync("selections.txt", "selections", null, cancellationToken).ConfigureAwait(false));
    }

    private (long Frames, long Clipped) ResampleToFile(string modelRatePath, string finalPath, int rate, long frames, CancellationToken cancellationToken)
    {
        using var reader = AudioReaders.Open(modelRatePath);
        var resampled = new Resampler(reader, rate);
        using var writer = WavOutputWriter.Create(finalPath, rate, metadata);
        var buffer = new float[16_384];
        long remaining = frames;
        while (remaining > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int want = (int)Math.Min(buffer.Length, remaining);
            int n = resampled.Read(buffer.AsSpan(0, want));
            if (n == 0)
            {
                // The resampler's rounding can leave the last sample or two short: pad to the exact length.
                buffer.AsSpan(0, want).Clear();
                n = want;
            }

            writer.Write(buffer.AsSpan(0, n));
            remaining -= n;
        }

        writer.Complete();
        return (writer.FramesWritten, writer.ClippedSamples);
    }

    private async Task<OutputRecord> RecordAsync(string name, string kind, string? prompt, CancellationToken cancellationToken, long? frames = null, int? rate = null, long? clipped = null)
    {
        string path = Path.Combine(folder, name);
        string sha = await FileHash.Sha256Async(path, cancellationToken).ConfigureAwait(false);
        return new OutputRecord(name, kind, prompt, sha, new FileInfo(path).Length, frames, rate, clipped);
    }
}
