using SamAudio.Core.Dsp;

namespace SamAudio.Core.Segmentation;

/// <summary>
/// One part of an item that a worker produces on its own. Frames are absolute frames of the recording at its own
/// rate: the shard writes [<see cref="StartFrame"/>, <see cref="EndFrame"/>) and reads
/// [<see cref="ReadStartFrame"/>, <see cref="ReadEndFrame"/>) to get there.
/// </summary>
public sealed record ShardSpan(int Index, int Count, long StartFrame, long EndFrame, long ReadStartFrame, long ReadEndFrame)
{
    /// <summary>The single span of an item that is not split: it reads and writes the item's whole range.</summary>
    public static ShardSpan Whole(long startFrame, long endFrame) => new(0, 1, startFrame, endFrame, startFrame, endFrame);

    /// <summary>Frames this shard writes.</summary>
    public long Frames => EndFrame - StartFrame;
}

/// <summary>
/// Splits an item's range into shards whose outputs, put end to end, are the same bytes as one run over the whole
/// range. Why that holds (docs/architecture.md, "Shards"):
/// <list type="bullet">
/// <item>Shard boundaries sit on a grid counted from the item's start whose step is a whole number of window hops,
/// of activity frames and of frames at both rates, so every shard meets the same windows at the same positions and
/// its resamplers the same phases as the whole run.</item>
/// <item>A shard reads enough before its start that the first window it keeps has exact input (past the resampler's
/// edge), and that window's crossfade partner and the up-sampler's and faithful STFT's reach are exact too; after
/// its end it reads a whole window more plus those reaches, so the windows it keeps are never zero-padded.</item>
/// <item>Where the context would pass the item's edge it stops there, and the shard then starts or ends exactly as
/// the whole run does.</item>
/// </list>
/// </summary>
public static class ShardGrid
{
    /// <summary>
    /// The grid step in frames at the recording's rate: the smallest length that is a whole number of hops and of
    /// <paramref name="activityFrameSamples"/> at the model's rate, a whole number of frames at both rates and, where
    /// the rates are an integer ratio, of the resamplers' blocks (<see cref="BlockFftResampling.BlockFrames"/> at the
    /// lower rate), whose rounding depends on which samples share a block.
    /// </summary>
    public static long StepFrames(int sourceRate, int modelRate, SegmentationOptions segmentation, int activityFrameSamples)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sourceRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(modelRate);
        ArgumentNullException.ThrowIfNull(segmentation);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(activityFrameSamples);
        long wholeAtBothRates = modelRate / Gcd(modelRate, sourceRate);
        long modelStep = Lcm(Lcm(Lcm(segmentation.HopSamples, activityFrameSamples), wholeAtBothRates), ResamplerBlockModelFrames(sourceRate, modelRate));
        return modelStep * sourceRate / modelRate;
    }

    /// <summary>
    /// Plans the shards of the item range [<paramref name="startFrame"/>, <paramref name="endFrame"/>) (frames at
    /// <paramref name="sourceRate"/>): as few shards of at most about <paramref name="maxShardFrames"/> as the grid
    /// allows (never shorter than one grid step), of equal length in grid steps but the last.
    /// <paramref name="solveReachWindows"/> is how many windows further an engine that solves across windows carries an
    /// input difference, each way (the flow family's multi-diffusion: <see cref="MultiDiffusionReachWindows"/>); the
    /// context grows by that many windows on each side. 0 for engines that see one window at a time.
    /// </summary>
    public static IReadOnlyList<ShardSpan> Plan(
        int sourceRate, int modelRate, SegmentationOptions segmentation, int activityFrameSamples, long startFrame, long endFrame, long maxShardFrames,
        int solveReachWindows = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(solveReachWindows);
        ArgumentOutOfRangeException.ThrowIfNegative(startFrame);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(endFrame, startFrame);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxShardFrames);
        long step = StepFrames(sourceRate, modelRate, segmentation, activityFrameSamples);
        long length = endFrame - startFrame;
        long steps = CeilDiv(length, step);
        long maxSteps = Math.Max(1, maxShardFrames / step);
        int count = (int)CeilDiv(steps, maxSteps);
        long stepsPerShard = CeilDiv(steps, count);
        count = (int)CeilDiv(steps, stepsPerShard);
        if (count == 1)
        {
            return [ShardSpan.Whole(startFrame, endFrame)];
        }

        var (before, after) = Context(sourceRate, modelRate, segmentation, step, solveReachWindows);
        var shards = new ShardSpan[count];
        for (int i = 0; i < count; i++)
        {
            long from = startFrame + (i * stepsPerShard * step);
            long to = i == count - 1 ? endFrame : from + (stepsPerShard * step);
            shards[i] = new ShardSpan(i, count, from, to, Math.Max(startFrame, from - before), Math.Min(endFrame, to + after));
        }

        return shards;
    }

    /// <summary>Context read before and after a shard, in frames at the recording's rate, whole grid steps.</summary>
    /// <summary>
    /// Windows over which latent multi-diffusion with <paramref name="steps"/> midpoint steps carries a difference, each
    /// way: every evaluation (two per step) reaches one window further, and decoding one more.
    /// </summary>
    public static int MultiDiffusionReachWindows(int steps) => (2 * steps) + 1;

    private static (long Before, long After) Context(int sourceRate, int modelRate, SegmentationOptions segmentation, long step, int solveReachWindows)
    {
        // Reach of each resampler, in model-rate samples (rounded up, plus one for the fractional position).
        // Block resampling (integer ratios) reaches a block and its filter from every output: its whole span.
        long down = 0, up = 0;
        if (sourceRate != modelRate)
        {
            var downKernel = SincResamplingKernel.Create(sourceRate, modelRate, ResamplingDesign.ModelInput);
            var upKernel = SincResamplingKernel.Create(modelRate, sourceRate);
            long downReach = BlockFftResampling.SpanFramesOf(downKernel) ?? downKernel.HalfWidth; // frames at the source rate
            long upReach = BlockFftResampling.SpanFramesOf(upKernel) ?? upKernel.HalfWidth; // frames at the model rate
            down = CeilDiv(downReach * modelRate, sourceRate) + 1;
            up = upReach + 1;
        }

        // Faithful outputs (decision 0006) mask the mixture with an STFT at the output rate whose frames reach one
        // frame length each way from every output sample: the target and residual there must be exact too, so that
        // reach adds to the up-sampler's (at the recording's rate or the model's, whichever is longer in model samples).
        // Counted for every run: it changes only how much context a shard reads, never an output byte.
        up += Math.Max(
            CeilDiv((long)ComplementaryMaskStft.SizeFor(sourceRate) * modelRate, sourceRate) + 1,
            ComplementaryMaskStft.SizeFor(modelRate));

        // Before: the windows whose input touches the down-sampler's edge are spoiled (at least the first, which
        // also has no fade-in), then the next window's head is crossfaded with the last spoiled one, then the
        // up-sampler and the faithful STFT reach back. After: the window holding the last sample they need must be
        // whole, with the down-sampler's reach past it.
        long hop = segmentation.HopSamples;
        long spoiledWindows = CeilDiv(Math.Max(down, 1), hop);
        long reach = (long)solveReachWindows * segmentation.WindowSamples;
        long beforeModel = (spoiledWindows * hop) + segmentation.OverlapSamples + up + reach;
        long afterModel = up + segmentation.WindowSamples + down + reach;
        long stepModel = step * modelRate / sourceRate;
        return (CeilDiv(beforeModel, stepModel) * step, CeilDiv(afterModel, stepModel) * step);
    }

    /// <summary>The resamplers' block in model-rate frames (1 where the rates need no blocks).</summary>
    private static long ResamplerBlockModelFrames(int sourceRate, int modelRate)
    {
        if (!BlockFftResampling.AppliesTo(sourceRate, modelRate))
        {
            return 1;
        }

        return sourceRate > modelRate ? BlockFftResampling.BlockFrames : (long)BlockFftResampling.BlockFrames * modelRate / sourceRate;
    }

    private static long CeilDiv(long a, long b) => (a + b - 1) / b;

    private static long Gcd(long a, long b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }

    private static long Lcm(long a, long b) => a / Gcd(a, b) * b;
}
