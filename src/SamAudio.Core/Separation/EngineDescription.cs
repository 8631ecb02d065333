using SamAudio.Core.Activity;

namespace SamAudio.Core.Separation;

/// <summary>Identity of a separation engine as recorded in provenance.</summary>
/// <param name="ModelId">Model pack id, for example <c>samaudio-mini</c>.</param>
/// <param name="Version">Model pack version.</param>
/// <param name="Family"><c>mask</c>, <c>flow</c> or <c>diagnostic</c>.</param>
/// <param name="SampleRate">Rate the engine works at, in Hz.</param>
/// <param name="SegmentSeconds">Preferred window length.</param>
/// <param name="OverlapSeconds">Preferred overlap between windows.</param>
/// <param name="Files">Every file that defines the model, with its SHA-256.</param>
/// <param name="ExecutionProvider">Where the model runs, for example <c>cpu</c> or <c>cuda</c>.</param>
/// <param name="Sampler">Settings of a generative engine that change its output (the flow family: seed, steps,
/// method, noise generator); null for engines without any.</param>
/// <param name="Activity">The activity settings the model pack chose on its validation soundscape (thresholds, gap
/// merging, confidence calibration); null when it chose none, and then the pipeline uses <see cref="ActivityOptions.Defaults"/>.</param>
public sealed record EngineDescription(
    string ModelId,
    string Version,
    string Family,
    int SampleRate,
    double SegmentSeconds,
    double OverlapSeconds,
    IReadOnlyList<ModelFileHash> Files,
    string ExecutionProvider = "cpu",
    IReadOnlyDictionary<string, string>? Sampler = null,
    ActivityOptions? Activity = null);

/// <summary>A model file and its SHA-256 (lower-case hex).</summary>
public sealed record ModelFileHash(string Path, string Sha256, long Size);
