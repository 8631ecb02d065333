using SamAudio.Core.Audio;
using SamAudio.Core.Separation;

namespace SamAudio.Core.Pipeline;

/// <summary>One recording to separate, with every parameter resolved (defaults applied).</summary>
public sealed record SeparationRequest
{
    public required string JobId { get; init; }
    public required string ItemId { get; init; }

    /// <summary>Full local path of the recording; it is only ever opened for reading.</summary>
    public required string RecordingPath { get; init; }

    /// <summary>The recording as the user named it (manifest-relative), for provenance.</summary>
    public required string RecordingLabel { get; init; }

    /// <summary>Expected SHA-256 from the manifest; a mismatch fails the item before any output is written.</summary>
    public string? ExpectedSha256 { get; init; }

    public required IReadOnlyList<ItemPrompt> Prompts { get; init; }
    public TimeSpan? Start { get; init; }
    public TimeSpan? End { get; init; }
    public ChannelSelection Channel { get; init; } = ChannelSelection.Mix;
    public double? SegmentSeconds { get; init; }
    public double? OverlapSeconds { get; init; }
    public OutputRateMode OutputRate { get; init; } = OutputRateMode.Source;

    /// <summary>
    /// Faithful outputs: the model's target and residual only decide a ratio mask on the mixture's STFT, so the outputs
    /// sum to the mixture and only attenuate it (decision 0006; <c>parameters.mode</c> in run.json).
    /// </summary>
    public bool Faithful { get; init; }

    /// <summary>
    /// Takes the steady background (wind, rain, hum) out of every target, window by window, into the residuals (decision
    /// 0010; <c>parameters.background</c> in run.json); null keeps the targets as the model made them.
    /// </summary>
    public Dsp.BackgroundSuppressionOptions? Background { get; init; }

    /// <summary>Seed of a generative engine's noise; the engine must draw with it (<see cref="Separation.SamplerSettings.IsServedBy"/>).</summary>
    public int Seed { get; init; }

    /// <summary>ODE steps asked of a generative engine; null for the model's default. Recorded; engines without a sampler ignore it.</summary>
    public int? Steps { get; init; }

    /// <summary>What to do with NaN or infinite samples in the recording; by default the item fails.</summary>
    public NonFiniteSamples NonFinite { get; init; } = NonFiniteSamples.Fail;

    /// <summary>The item's output folder, <c>&lt;out&gt;/&lt;jobId&gt;/&lt;itemId&gt;</c>.</summary>
    public required string OutputFolder { get; init; }

    /// <summary>Identifies every input of the run; equal fingerprints mean equal output bytes.</summary>
    public required string Fingerprint { get; init; }
}

/// <summary>A prompt as the pipeline uses it: exact text, file-name slug and which outputs to write.</summary>
public sealed record ItemPrompt(string Text, string Slug, bool WriteTarget, bool WriteResidual)
{
    /// <summary>Where the sound is known to be present or absent, in seconds of recording time; empty for none.</summary>
    public IReadOnlyList<PromptSpan> Spans { get; init; } = [];

    public string OutputName => (WriteTarget, WriteResidual) switch
    {
        (true, true) => "both",
        (false, true) => "residual",
        _ => "target",
    };
}

/// <summary>Rate of the written audio: the recording's own (same timeline, sample for sample) or the model's.</summary>
public enum OutputRateMode
{
    Source,
    Model,
}
