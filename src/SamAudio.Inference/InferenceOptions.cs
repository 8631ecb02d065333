using Microsoft.ML.OnnxRuntime;

namespace SamAudio.Inference;

/// <summary>Where a model should run.</summary>
public enum InferenceDevice
{
    /// <summary>CUDA where the native runtime and the GPU allow it, otherwise CPU (logged once).</summary>
    Auto,

    /// <summary>CPU only.</summary>
    Cpu,

    /// <summary>CUDA; falls back to CPU with a warning where CUDA cannot start.</summary>
    Cuda,

    /// <summary>TensorRT, then CUDA, then CPU, each fallback logged as a warning.</summary>
    TensorRt,
}

/// <summary>How a generative (flow-family) engine joins the windows of a recording longer than one window.</summary>
public enum LongAudioMethod
{
    /// <summary>
    /// One ODE over the whole span: one global noise, every overlapping window evaluated at every step, velocities
    /// blended with a raised-cosine weight, windows decoded with overlap and crossfaded (docs/decisions/0005).
    /// </summary>
    MultiDiffusion,

    /// <summary>Each window solved on its own and the waveforms crossfaded by the pipeline; kept for comparison.</summary>
    Crossfade,
}

/// <summary>ONNX Runtime settings for a model pack's sessions.</summary>
public sealed class InferenceOptions
{
    /// <summary>Requested device (<c>--device</c>).</summary>
    public InferenceDevice Device { get; init; } = InferenceDevice.Auto;

    /// <summary>GPU ordinal for CUDA and TensorRT.</summary>
    public int DeviceId { get; init; }

    /// <summary>Threads inside one operator; 0 lets ONNX Runtime choose (one per physical core).</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>
    /// Whether ONNX Runtime's intra-op threads spin while they wait for work (its default) instead of sleeping. Off:
    /// our own decode, resampling and writer threads share the cores with the model, and spinning threads took their
    /// time. On two cores, 30 min at 48 kHz with samaudio-mini: one prompt 7.3-8.6 s against 8.0-9.6 s with spinning,
    /// two prompts 9.8-11.7 s against 13.6-14.5 s (docs/benchmarks.md). Never changes an output bit.
    /// </summary>
    public bool IntraOpSpinning { get; init; }

    /// <summary>Graph rewrites applied when a session opens.</summary>
    public GraphOptimizationLevel GraphOptimization { get; init; } = GraphOptimizationLevel.ORT_ENABLE_ALL;

    /// <summary>Whether ONNX Runtime keeps a CPU memory arena between calls (faster; holds peak memory).</summary>
    public bool MemoryArena { get; init; } = true;

    /// <summary>
    /// Seed of a generative (flow-family) engine's initial noise (<c>--seed</c>); the same seed gives the same bytes.
    /// Hosts pass the run's seed here so the one recorded in <c>run.json</c> is the one used.
    /// </summary>
    public int Seed { get; init; }

    /// <summary>ODE steps of a flow-family engine (midpoint: two network calls per step); SAM-Audio uses 16.</summary>
    public int Steps { get; init; } = 16;

    /// <summary>Long audio in the flow family (<c>--long-audio</c>); multi-diffusion unless crossfade is asked for.</summary>
    public LongAudioMethod LongAudio { get; init; } = LongAudioMethod.MultiDiffusion;

    /// <summary>Parses a <c>--long-audio</c> value: <c>multidiffusion</c> or <c>crossfade</c>.</summary>
    public static LongAudioMethod ParseLongAudio(string value) => value?.Trim().ToLowerInvariant() switch
    {
        "multidiffusion" or "multi-diffusion" => LongAudioMethod.MultiDiffusion,
        "crossfade" => LongAudioMethod.Crossfade,
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, "Long audio must be multidiffusion or crossfade."),
    };

    /// <summary>Parses a <c>--device</c> value: <c>auto</c>, <c>cpu</c>, <c>cuda</c> or <c>tensorrt</c>.</summary>
    public static InferenceDevice ParseDevice(string value) => value?.Trim().ToLowerInvariant() switch
    {
        "auto" => InferenceDevice.Auto,
        "cpu" => InferenceDevice.Cpu,
        "cuda" or "gpu" => InferenceDevice.Cuda,
        "tensorrt" or "trt" => InferenceDevice.TensorRt,
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, "Device must be auto, cpu, cuda or tensorrt."),
    };

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for a value outside its range.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Device))
        {
            throw new ArgumentOutOfRangeException(nameof(Device), Device, "Unknown device.");
        }

        if (!Enum.IsDefined(LongAudio))
        {
            throw new ArgumentOutOfRangeException(nameof(LongAudio), LongAudio, "Unknown long-audio method.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(DeviceId, nameof(DeviceId));
        ArgumentOutOfRangeException.ThrowIfNegative(IntraOpThreads, nameof(IntraOpThreads));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(IntraOpThreads, 1024, nameof(IntraOpThreads));
        ArgumentOutOfRangeException.ThrowIfLessThan(Steps, 1, nameof(Steps));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Steps, 1000, nameof(Steps));
        if (!Enum.IsDefined(GraphOptimization))
        {
            throw new ArgumentOutOfRangeException(nameof(GraphOptimization), GraphOptimization, "Unknown optimisation level.");
        }
    }
}
