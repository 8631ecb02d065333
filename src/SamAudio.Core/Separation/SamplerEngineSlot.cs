namespace SamAudio.Core.Separation;

/// <summary>
/// Holds the one open engine of a model and opens it again when a run asks for sampler settings the open one does
/// not draw with, so an engine is never shared by runs that need different noise or steps, and a model's weights are
/// in memory once (a GPU holds one copy). An engine without a sampler serves every setting and is never reopened.
/// Not thread-safe: one stream at a time, as an engine.
/// </summary>
public sealed class SamplerEngineSlot : IAsyncDisposable
{
    private readonly Func<SamplerSettings, CancellationToken, Task<ISeparationEngine>> _open;
    private readonly bool _ownsEngines;
    private ISeparationEngine? _engine;

    /// <param name="open">Opens the model's engine for the given settings.</param>
    /// <param name="ownsEngines">Whether the slot disposes the engines <paramref name="open"/> gives (it does by default).</param>
    public SamplerEngineSlot(Func<SamplerSettings, CancellationToken, Task<ISeparationEngine>> open, bool ownsEngines = true)
    {
        ArgumentNullException.ThrowIfNull(open);
        _open = open;
        _ownsEngines = ownsEngines;
    }

    /// <summary>A slot over one engine the caller owns: it serves the settings that engine draws with, and refuses others.</summary>
    public static SamplerEngineSlot Fixed(ISeparationEngine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        return new SamplerEngineSlot((_, _) => Task.FromResult(engine), ownsEngines: false);
    }

    /// <summary>The engine for <paramref name="settings"/>: the open one when it serves them, else a newly opened one.</summary>
    /// <exception cref="InvalidOperationException">The opened engine does not draw with <paramref name="settings"/>.</exception>
    public async Task<ISeparationEngine> GetAsync(SamplerSettings settings, CancellationToken cancellationToken = default)
    {
        if (_engine is { } open && settings.IsServedBy(open.Description))
        {
            return open;
        }

        await CloseAsync().ConfigureAwait(false);
        var engine = await _open(settings, cancellationToken).ConfigureAwait(false);
        if (!settings.IsServedBy(engine.Description))
        {
            if (_ownsEngines)
            {
                await engine.DisposeAsync().ConfigureAwait(false);
            }

            throw new InvalidOperationException(
                $"Model '{engine.Description.ModelId}' was opened with sampler {Describe(engine.Description)}, but the run asks for {settings}.");
        }

        _engine = engine;
        return engine;
    }

    public ValueTask DisposeAsync() => CloseAsync();

    private async ValueTask CloseAsync()
    {
        var engine = _engine;
        _engine = null;
        if (engine is not null && _ownsEngines)
        {
            await engine.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static string Describe(EngineDescription model) =>
        string.Join(", ", (model.Sampler ?? new Dictionary<string, string>()).Select(s => $"{s.Key} {s.Value}"));
}
