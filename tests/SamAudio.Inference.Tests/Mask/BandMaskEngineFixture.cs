using Microsoft.Extensions.Logging.Abstractions;
using SamAudio.Core.Separation;
using SamAudio.Inference.Packs;
using SamAudio.Inference.Tests.Support;

namespace SamAudio.Inference.Tests.Mask;

/// <summary>One band-mask engine (test pack + MiniLM on CPU) shared by the tests of a class.</summary>
public sealed class BandMaskEngineFixture : IAsyncLifetime
{
    public ISeparationEngine Engine { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Engine = await ModelEngines.OpenAsync(
            new ModelCatalog([]), TestPaths.BandMask, new InferenceOptions { Device = InferenceDevice.Cpu }, NullLogger.Instance);

    public async Task DisposeAsync() => await Engine.DisposeAsync();
}
