using System.Diagnostics;
using SamAudio.Core.Activity;
using SamAudio.Core.Audio;
using SamAudio.Core.Provenance;
using SamAudio.Core.Segmentation;
using SamAudio.Core.Separation;

namespace SamAudio.Core.Pipeline;

/// <summary>What one item's run has learned so far, turned into a <see cref="RunRecord"/> at the end.</summary>
internal sealed class RunState(SeparationRequest request)
{
    public List<string> Warnings { get; } = [];

    public List<OutputRecord> Outputs { get; } = [];

    public Dictionary<string, double> Timings { get; } = new(StringComparer.Ordinal);

    public InputRecord? Input { get; set; }

    public TimeRange? Range { get; set; }

    /// <summary>The prompts as the engine encoded them (texts and interpretations), once encoded.</summary>
    public PromptBatch? Prompts { get; set; }

    public int OutputSampleRate { get; set; }

    /// <summary>The settings the activity tables are made with, recorded in <see cref="RunParameters.Activity"/>.</summary>
    public ActivityOptions? Activity { get; init; }

    public RunRecord ToRecord(string status, EngineDescription model, DateTimeOffset started, long startTimestamp)
    {
        var timings = new SortedDictionary<string, double>(Timings, StringComparer.Ordinal)
        {
            ["total"] = Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds,
        };
        var windows = SegmentationOptions.Resolve(request.SegmentSeconds, request.OverlapSeconds, model.SegmentSeconds, model.OverlapSeconds);
        return new RunRecord
        {
            Status = status,
            JobId = request.JobId,
            ItemId = request.ItemId,
            Fingerprint = request.Fingerprint,
            Software = ProvenanceJson.Software,
            Machine = ProvenanceJson.Machine,
            Input = Input,
            Model = new ModelRecord(model.ModelId, model.Version, model.Family, model.ExecutionProvider, model.Files, model.Sampler),
            Parameters = new RunParameters(
                request.Channel.ToString(),
                request.Start?.TotalSeconds,
                request.End?.TotalSeconds,
                Range?.StartFrame ?? 0,
                Range?.EndFrame ?? 0,
                windows.SegmentSeconds,
                windows.OverlapSeconds,
                model.SampleRate,
                OutputSampleRate,
                request.OutputRate == OutputRateMode.Source ? "source" : "model",
                request.Seed,
                request.NonFinite == NonFiniteSamples.Zero ? "zero" : "fail",
                request.Steps,
                RunParameters.ModeName(request.Faithful),
                Activity,
                request.Background),
            Prompts = request.Prompts.Select((p, i) => Prompts is { } batch && i < batch.Count
                ? new PromptRecord(batch.Texts[i], p.Slug, p.OutputName, batch.Interpretations?[i], Spans(p))
                : new PromptRecord(p.Text, p.Slug, p.OutputName, Spans: Spans(p))).ToList(),
            Outputs = Outputs,
            StartedAt = started,
            FinishedAt = DateTimeOffset.UtcNow,
            TimingsSeconds = timings,
            Warnings = Warnings,
        };
    }

    private static IReadOnlyList<PromptSpan>? Spans(ItemPrompt prompt) => prompt.Spans.Count > 0 ? prompt.Spans : null;
}
