using SamAudio.Core.Activity;
using SamAudio.Core.Separation;

namespace SamAudio.Core.Pipeline;

/// <summary>
/// A separated item or shard whose audio outputs are written but not yet finished. <see cref="CompleteAsync"/>
/// finishes them (a WAV file appears under its name); disposing without it drops them, so nothing half-checked
/// is ever visible.
/// </summary>
public sealed class SeparatedShard : IDisposable
{
    private readonly ItemOutputSink _sink;

    internal SeparatedShard(ItemOutputSink sink, PromptBatch prompts, int modelRate, int outputRate, List<string> warnings, Dictionary<string, double> timings)
    {
        _sink = sink;
        Prompts = prompts;
        ModelSampleRate = modelRate;
        OutputSampleRate = outputRate;
        Warnings = warnings;
        Timings = timings;
    }

    /// <summary>The prompts as the engine encoded them, with how it read each.</summary>
    public PromptBatch Prompts { get; }

    public int ModelSampleRate { get; }

    public int OutputSampleRate { get; }

    /// <summary>Resampling, channel choice, unfamiliar prompts, decoder warnings.</summary>
    public List<string> Warnings { get; }

    /// <summary>Seconds spent separating, in the model and writing.</summary>
    public Dictionary<string, double> Timings { get; }

    /// <summary>Each prompt's activity frames over the span's own samples (model rate), in prompt order.</summary>
    public IReadOnlyList<IReadOnlyList<ActivityFrame>> ActivityFrames() => _sink.Activity.Select(a => a.Complete()).ToList();

    /// <summary>Finishes every audio output, in prompt order (target before residual), and says what each holds.</summary>
    public async Task<IReadOnlyList<CompletedOutput>> CompleteAsync(CancellationToken cancellationToken = default)
    {
        var completed = new List<CompletedOutput>();
        foreach (var (prompt, kind, output) in _sink.Writers())
        {
            var written = await output.CompleteAsync(cancellationToken).ConfigureAwait(false);
            completed.Add(new CompletedOutput(prompt, kind, written.Frames, written.ClippedSamples, written.SampleRate, written.Sha256));
        }

        return completed;
    }

    public void Dispose() => _sink.Dispose();
}

/// <summary>
/// One finished audio output: its prompt, kind (<c>target</c> or <c>residual</c>), length and clipping count, and its
/// SHA-256 where its writer hashed it as it wrote it (<see cref="Audio.ISampleWriter.Sha256"/>).
/// </summary>
public sealed record CompletedOutput(ItemPrompt Prompt, string Kind, long Frames, long ClippedSamples, int SampleRate, string? Sha256 = null)
{
    /// <summary>The output's file name, <c>&lt;slug&gt;.&lt;kind&gt;.wav</c>.</summary>
    public string FileName => $"{Prompt.Slug}.{Kind}.wav";
}
