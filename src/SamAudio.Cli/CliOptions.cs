using System.CommandLine;
using SamAudio.Core.Pipeline;

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
            var other => Fail(r, $"--sample-rate must be 'source' or 'model', not '{other}'."),
        },
    };

    public static Option<int> Seed() => new("--seed") { Description = "Seed for any randomness in the model; recorded in run.json.", DefaultValueFactory = _ => 0 };

    public static Option<string> LongAudio() => new("--long-audio")
    {
        Description = "How a generative (flow) model joins windows: multidiffusion (one seamless solve, the default) or crossfade (each window alone); recorded in run.json.",
        DefaultValueFactory = _ => "multidiffusion",
    };

    public static Option<bool> Quiet() => new("--quiet", "-q") { Description = "No progress bar." };

    public static Option<bool> Report() => new("--report") { Description = "Also write report.html (spectrograms, excerpts, activity, provenance) beside the outputs. A job folder that already has one gets it rebuilt without this option (for example on --resume)." };

    public static Option<bool> Json() => new("--json") { Description = "Print a machine-readable summary on standard output." };

    private static OutputRateMode Fail(System.CommandLine.Parsing.ArgumentResult result, string message)
    {
        result.AddError(message);
        return OutputRateMode.Source;
    }
}
