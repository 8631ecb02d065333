using Microsoft.Extensions.Logging;
using SamAudio.Core.Separation;
using SamAudio.Inference;
using SamAudio.Inference.Packs;

namespace SamAudio.Worker.Processing;

/// <summary>
/// Opens each model a work item names once and keeps it for the next work items. An engine serves one stream at a
/// time, so each processing slot has its own provider.
/// </summary>
internal sealed class EngineProvider(ModelCatalog catalog, ILogger logger) : IAsyncDisposable
{
    private readonly Dictionary<string, ISeparationEngine> _engines = new(StringComparer.Ordinal);

    public async Task<ISeparationEngine> GetAsync(string model, CancellationToken cancellationToken = default)
    {
        if (!_engines.TryGetValue(model, out var engine))
        {
            engine = await ModelEngines.OpenAsync(catalog, model, new InferenceOptions(), logger, cancellationToken).ConfigureAwait(false);
            _engines[model] = engine;
        }

        return engine;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var engine in _engines.Values)
        {
            await engine.DisposeAsync().ConfigureAwait(false);
        }

        _engines.Clear();
    }
}
