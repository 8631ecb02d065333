using Microsoft.Extensions.Logging;
using SamAudio.Core.Separation;
using SamAudio.Inference;
using SamAudio.Inference.Packs;

namespace SamAudio.Cli;

/// <summary>Opens the separation engine a command asked for, through the inference library's factory.</summary>
internal static class EngineFactory
{
    public const string DefaultModel = "samaudio-mini";

    /// <summary>
    /// Opens the engine, or writes why it cannot be opened and returns null (exit code 2). <paramref name="sampler"/>
    /// holds the run's <c>--seed</c> and <c>--steps</c>, the ones run.json records: a generative (flow) engine draws its
    /// noise from the seed and integrates in that many steps (null: the model's default). <paramref name="longAudio"/> is
    /// <c>--long-audio</c> (<see cref="InferenceOptions.ParseLongAudio"/>).
    /// </summary>
    public static async Task<ISeparationEngine?> TryOpenAsync(
        CliConsole console, string model, string device, SamplerSettings sampler, ILogger logger, CancellationToken cancellationToken, string longAudio = "multidiffusion")
    {
        try
        {
            return await OpenAsync(model, device, sampler, logger, cancellationToken, longAudio).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ModelPackException or IOException or InvalidDataException or ArgumentException)
        {
            await console.Error.WriteLineAsync($"model '{model}': {ex.Message}").ConfigureAwait(false);
            return null;
        }
    }

    /// <summary>Opens the engine; throws what <see cref="ModelEngines.OpenAsync(string, InferenceOptions, ILogger, CancellationToken)"/> throws.</summary>
    public static Task<ISeparationEngine> OpenAsync(
        string model, string device, SamplerSettings sampler, ILogger logger, CancellationToken cancellationToken, string longAudio = "multidiffusion")
    {
        var options = new InferenceOptions
        {
            Device = InferenceOptions.ParseDevice(device),
            Seed = sampler.Seed,
            Steps = sampler.Steps ?? new InferenceOptions().Steps,
            LongAudio = InferenceOptions.ParseLongAudio(longAudio),
        };
        return ModelEngines.OpenAsync(model, options, logger, cancellationToken);
    }
}
