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
    /// Opens the engine, or writes why it cannot be opened and returns null (exit code 2). <paramref name="seed"/> is
    /// the run's <c>--seed</c>, the one run.json records: a generative (flow) engine draws its noise from it.
    /// <paramref name="longAudio"/> is <c>--long-audio</c> (<see cref="InferenceOptions.ParseLongAudio"/>).
    /// </summary>
    public static async Task<ISeparationEngine?> TryOpenAsync(
        CliConsole console, string model, string device, int seed, ILogger logger, CancellationToken cancellationToken, string longAudio = "multidiffusion")
    {
        try
        {
            var options = new InferenceOptions { Device = InferenceOptions.ParseDevice(device), Seed = seed, LongAudio = InferenceOptions.ParseLongAudio(longAudio) };
            return await ModelEngines.OpenAsync(model, options, logger, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ModelPackException or IOException or InvalidDataException or ArgumentException)
        {
            await console.Error.WriteLineAsync($"model '{model}': {ex.Message}").ConfigureAwait(false);
            return null;
        }
    }
}
