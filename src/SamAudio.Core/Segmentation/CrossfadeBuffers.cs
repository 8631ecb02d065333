using SamAudio.Core.Audio;

namespace SamAudio.Core.Segmentation;

/// <summary>
/// The crossfade's working buffers for one run of <see cref="SegmentedSeparator"/> with <c>p</c> prompts: the engine's
/// outputs of a window, their faded sums and what is emitted of them. Rented from <see cref="SampleBufferPool"/> and
/// returned on disposal, when the run has stopped, so items of one shape reuse them.
/// </summary>
internal sealed class CrossfadeBuffers : IDisposable
{
    public CrossfadeBuffers(int prompts, int window, int hop, int overlap)
    {
        Targets = SampleBufferPool.Rent(prompts * window);
        Residuals = SampleBufferPool.Rent(prompts * window);
        AccTargets = SampleBufferPool.Rent(prompts * window);
        AccResiduals = SampleBufferPool.Rent(prompts * window);
        AccMixture = SampleBufferPool.Rent(window);
        OutTargets = SampleBufferPool.Rent(prompts * (hop + overlap));
        OutResiduals = SampleBufferPool.Rent(prompts * (hop + overlap));
    }

    /// <summary>The engine's targets of the current window, prompt after prompt.</summary>
    public float[] Targets { get; }

    public float[] Residuals { get; }

    /// <summary>The faded sums of the windows so far, prompt after prompt.</summary>
    public float[] AccTargets { get; }

    public float[] AccResiduals { get; }

    public float[] AccMixture { get; }

    /// <summary>What one window emits, prompt after prompt.</summary>
    public float[] OutTargets { get; }

    public float[] OutResiduals { get; }

    public void Dispose()
    {
        foreach (var buffer in (float[][])[Targets, Residuals, AccTargets, AccResiduals, AccMixture, OutTargets, OutResiduals])
        {
            SampleBufferPool.Return(buffer);
        }
    }
}
