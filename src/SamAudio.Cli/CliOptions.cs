using System.CommandLine;
using SamAudio.Core.Pipeline;
using SamAudio.Core.Separation;

namespace SamAudio.Cli;

/// <summary>Options shared by several commands, defined once so they read the same everywhere.</summary>
internal static class CliOptions
{
    public static Option<string> Out() => new("--out", "-o") { Description = "Output folder.", DefaultValueFactory = _ => "out" };

    public static Option<string?> Model() => new("--model", "-m") { Description = "Model pack id (see `samaudio models list`) or a model pack folder." };

    public static Option<string> Device() => new("--device") { Description = "Where the model runs: auto, cpu, cuda or tensorrt.", DefaultValueFactory = _ => "auto" };

    public static Option<OutputRateMode> SampleRate() => new("--sample-rate")
    {
        Description = "Rate of the written audio: source (the recording's own, same timeline) or model.",
        DefaultValueFactory = _ => OutputRateMode.Source,
        CustomParser = r => r.Tokens.Single().Value.ToLowerInvariant() switch
        {
            "source" => OutputRateMode.Source,
            "model" => OutputRateMode.Model,
            var other => Fail(r, $"--sample-rate must be 'source' or 'model', not '{other}'.", OutputRateMode.Source),
        },
    };

    public static Option<bool> Faithful(string description = "Faithful outputs: the model's target and residual only decide a mask on the recording's own spectrum, so the outputs sum to the recording and only attenuate it (decision 0006). Recorded in run.json as parameters.mode.") =>
        new("--faithful") { Description = description };

    public static Option<string> Background(string description = "keep (default) or suppress: suppress takes a field recording's steady background (wind, rain, a stream, hum) out of the targets into the residuals, window by window (decision 0010). Not for prompts that name the steady sound itself. Recorded in run.json as parameters.background.") =>
        new Option<string>("--background") { Description = description, DefaultValueFactory = _ => "keep" }.AcceptOnlyFromAmong("keep", "suppress");

    /// <summary>The settings <c>--background</c> asks for: null for keep.</summary>
    public static Core.Dsp.BackgroundSuppressionOptions? Suppression(string? background) =>
        background == "suppress" ? Core.Dsp.BackgroundSuppressionOptions.Default : null;

    public static Option<int> Seed(string description = "Seed of a generative (flow) model's noise, 0 to 2147483647; recorded in run.json. The same seed gives the same bytes.")
    {
        var option = new Option<int>("--seed") { Description = description, DefaultValueFactory = _ => 0 };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 0)
            {
                r.AddError($"--seed must be a whole number from 0 to {SamplerSettings.MaxSeed}, not {r.GetValueOrDefault<int>()}.");
            }
        });
        return option;
    }

    public static Option<int?> Steps(string description = "ODE steps of a generative (flow) model, 1 to 1000 (two model calls each); default the model's own (16 for SAM-Audio). Recorded in run.json; models without a sampler ignore it.")
    {
        var option = new Option<int?>("--steps") { Description = description };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is { } steps && steps is < 1 or > SamplerSettings.MaxSteps)
            {
                r.AddError($"--steps must be a whole number from 1 to {SamplerSettings.MaxSteps}, not {steps}.");
            }
        });
        return option;
    }

    public static Option<string> LongAudio() => new("--long-audio")
    {
        Description = "How a generative (flow) model joins windows: multidiffusion (one seamless solve, the default) or crossfade (each window alone); recorded in run.json.",
        DefaultValueFactory = _ => "multidiffusion",
    };

    public static Option<bool> Quiet() => new("--quiet", "-q") { Description = "No progress bar." };

    public static Option<bool> Report() => new("--report") { Description = "Also write report.html (spectrograms, excerpts, activity, provenance) beside the outputs. A job folder that already has one gets it rebuilt without this option (for example on --resume)." };

    public static Option<bool> Json() => new("--json") { Description = "Print a machine-readable summary on standard output." };

    private static T Fail<T>(System.CommandLine.Parsing.ArgumentResult result, string message, T fallback)
    {
        result.AddError(message);
        return fallback;
    }
}
