namespace SamAudio.Core.Separation;

/// <summary>
/// A separation that spans windows: the engine takes the pipeline's windows in order, solves across them (the flow
/// family's latent multi-diffusion) and writes finished samples to the sink it was opened with, later than it took
/// them. Made by <see cref="ISeparationEngine.OpenSpan"/> for one run; memory must not grow with the span's length.
/// </summary>
public interface ISpanSeparation : IDisposable
{
    /// <summary>
    /// Takes the next window (the pipeline's grid: window <c>k</c> starts <c>k * hop</c> samples after the span's start,
    /// always the full window length, zero-padded past <paramref name="valid"/>) and writes to the sink every sample
    /// that is final. After the window marked <paramref name="last"/> everything has been written.
    /// </summary>
    /// <returns>Samples written to the sink so far; after the last window, exactly the samples of the span.</returns>
    ValueTask<long> AddWindowAsync(ReadOnlyMemory<float> window, int valid, bool last, CancellationToken cancellationToken = default);
}
