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
    /// noise from the seed and integrates in that many steps (null: the model's default).
    /// </summary>
    public static async Task<ISeparationEngine?> TryOpenAsync(
        CliConsole console, string model, string device, SamplerSettings sampler, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            return await OpenAsync(model, device, sampler, logger, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ModelPackException or IOException or InvalidDataException or ArgumentException)
        {
            await console.Error.WriteLineAsync($"model '{model}': {ex.Message}").ConfigureAwait(false);
            return null;
        }
    }

    /// <summary>Opens the engine; throws what <see cref="ModelEngines.OpenAsync(string, InferenceOptions, ILogger, CancellationToken)"/> throws.</summary>
    public static Task<ISeparationEngine> OpenAsync(string model, string device, SamplerSettings sampler, ILogger logger, CancellationToken cancellationToken)
    {
        var options = new InferenceOptions
        {
            Device = InferenceOptions.ParseDevice(device),
            Seed = sampler.Seed,
            Steps = sampler.Steps ?? new InferenceOptions().Steps,
        };
        return ModelEngines.OpenAsync(model, options, logger, cancellationToken);
    }
}
