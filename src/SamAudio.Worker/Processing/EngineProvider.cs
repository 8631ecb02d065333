using Microsoft.Extensions.Logging;
using SamAudio.Core.Separation;
using SamAudio.Inference;
using SamAudio.Inference.Packs;
using SamAudio.Storage.WorkItems;

namespace SamAudio.Worker.Processing;

/// <summary>
/// Opens each model a work item names once and keeps it for the next work items. A generative (flow) engine draws
/// with the seed and steps it was opened with, so a work item asking for others gets the model reopened with those
/// (<see cref="SamplerEngineSlot"/>): one engine per model, never one shared across sampler settings. An engine serves
/// one stream at a time, so each processing slot has its own provider.
/// </summary>
internal sealed class EngineProvider(ModelCatalog catalog, ILogger logger) : IAsyncDisposable
{
    private readonly Dictionary<string, SamplerEngineSlot> _slots = new(StringComparer.Ordinal);

    /// <summary>The engine of the work item's model, drawing with its seed and steps.</summary>
    public Task<ISeparationEngine> GetAsync(WorkItem item, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        return GetAsync(item.Model, Sampler(item), cancellationToken);
    }

    public Task<ISeparationEngine> GetAsync(string model, SamplerSettings sampler, CancellationToken cancellationToken = default)
    {
        if (!_slots.TryGetValue(model, out var slot))
        {
            slot = new SamplerEngineSlot((settings, ct) => ModelEngines.OpenAsync(catalog, model, Options(settings), logger, ct));
            _slots[model] = slot;
        }

        return slot.GetAsync(sampler, cancellationToken);
    }

    /// <summary>The sampler settings a work item asks for.</summary>
    public static SamplerSettings Sampler(WorkItem item) => new(item.Seed, item.Steps);

    private static InferenceOptions Options(SamplerSettings sampler) => new()
    {
        Seed = sampler.Seed,
        Steps = sampler.Steps ?? new InferenceOptions().Steps,
    };

    public async ValueTask DisposeAsync()
    {
        foreach (var slot in _slots.Values)
        {
            await slot.DisposeAsync().ConfigureAwait(false);
        }

        _slots.Clear();
    }
}
