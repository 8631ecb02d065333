using Microsoft.Extensions.Logging;
using SamAudio.Core.Separation;

namespace SamAudio.Cli;

/// <summary>Opens the separation engine a command asked for.</summary>
internal static class EngineFactory
{
    public const string DefaultModel = "samaudio-mini";

    /// <summary>Opens the engine, or writes why it cannot be opened and returns null (exit code 2).</summary>
    public static async Task<ISeparationEngine?> TryOpenAsync(CliConsole console, string model, string device, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            return await OpenAsync(model, device, logger, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ModelNotFoundException or IOException or InvalidDataException or ArgumentException)
        {
            await console.Error.WriteLineAsync($"model '{model}': {ex.Message}").ConfigureAwait(false);
            return null;
        }
    }

    public static Task<ISeparationEngine> OpenAsync(string model, string device, ILogger logger, CancellationToken cancellationToken)
    {
        if (string.Equals(model, PassThroughEngine.Id, StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult<ISeparationEngine>(new PassThroughEngine());
        }

        throw new ModelNotFoundException($"Model '{model}' is not installed. Use `samaudio models list` to see installed packs, or pass a model pack folder.");
    }
}

/// <summary>The model named on the command line or in the manifest cannot be opened.</summary>
internal sealed class ModelNotFoundException(string message) : Exception(message);
