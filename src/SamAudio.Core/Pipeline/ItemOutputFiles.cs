using SamAudio.Core.Activity;
using SamAudio.Core.Audio;
using SamAudio.Core.Outputs;
using SamAudio.Core.Provenance;

namespace SamAudio.Core.Pipeline;

/// <summary>
/// Where an item's files go and how they are finished: WAV outputs (streamed back to the recording's rate
/// when asked, to its exact frame count), per-prompt activity CSVs and the Raven selection table, each
/// written atomically and recorded with its SHA-256: a WAV of known length is hashed as it is written, every other
/// file is read back once finished.
/// </summary>
internal sealed class ItemOutputFiles(string folder, IReadOnlyList<MetadataChunk> metadata)
{
    /// <summary>Opens the WAV file of one audio output (<see cref="ShardOutputFactory"/>), invisible until completed.</summary>
    public ISampleWriter OpenWav(ItemPrompt prompt, string kind, int sampleRate, long? frames)
    {
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, $"{prompt.Slug}.{kind}.wav");
        return frames is { } known ? WavOutputWriter.CreateOfLength(path, sampleRate, metadata, known) : WavOutputWriter.Create(path, sampleRate, metadata);
    }

    /// <summary>Completes every output in prompt order and records each file with its hash.</summary>
    public async Task CompleteAsync(SeparatedShard separated, RunState run, CancellationToken cancellationToken)
    {
        foreach (var written in await separated.CompleteAsync(cancellationToken).ConfigureAwait(false))
        {
            if (written.ClippedSamples > 0)
            {
                run.Warnings.Add($"{written.FileName}: {written.ClippedSamples} sample(s) beyond full scale (kept as float, not clipped)");
            }

            run.Outputs.Add(await RecordAsync(written.FileName, written.Kind, written.Prompt.Text, cancellationToken, written.Frames, written.SampleRate, written.ClippedSamples, written.Sha256).ConfigureAwait(false));
        }
    }

    public async Task WriteActivityAsync(IReadOnlyList<IReadOnlyList<ActivityRegion>> activity, IReadOnlyList<ItemPrompt> prompts, double nyquist, RunState run, CancellationToken cancellationToken)
    {
        var selections = new List<(string, ActivityRegion)>();
        for (int p = 0; p < prompts.Count; p++)
        {
            var regions = activity[p];
            string name = $"{prompts[p].Slug}.activity.csv";
            await AtomicFile.WriteAllTextAsync(Path.Combine(folder, name), ActivityTables.ToCsv(regions), cancellationToken).ConfigureAwait(false);
            run.Outputs.Add(await RecordAsync(name, "activity", prompts[p].Text, cancellationToken).ConfigureAwait(false));
            selections.AddRange(regions.Select(r => (prompts[p].Text, r)));
        }

        await AtomicFile.WriteAllTextAsync(Path.Combine(folder, "selections.txt"), ActivityTables.ToRavenSelectionTable(selections, nyquist), cancellationToken).ConfigureAwait(false);
        run.Outputs.Add(await RecordAsync("selections.txt", "selections", null, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The record of a finished file; <paramref name="sha"/> where it was hashed as written, else it is read to hash it.</summary>
    private async Task<OutputRecord> RecordAsync(string name, string kind, string? prompt, CancellationToken cancellationToken, long? frames = null, int? rate = null, long? clipped = null, string? sha = null)
    {
        string path = Path.Combine(folder, name);
        sha ??= await FileHash.Sha256Async(path, cancellationToken).ConfigureAwait(false);
        return new OutputRecord(name, kind, prompt, sha, new FileInfo(path).Length, frames, rate, clipped);
    }
}
