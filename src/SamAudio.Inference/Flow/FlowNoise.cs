namespace SamAudio.Inference.Flow;

/// <summary>
/// The initial noise of the flow ODE: N(0, 1) values that are a pure function of (seed, absolute latent frame,
/// channel), so a window, a shard or the whole recording sees the same noise at the same frame however the recording
/// is cut. Counter-based: SplitMix64's mixer hashes the key (channel pairs share one hash), two 53-bit uniforms from
/// it go through Box-Muller (cosine for even channels, sine for odd). Math.Log/Sqrt/Cos/Sin in double, rounded once
/// to float; the same runtime on the same CPU gives the same bits.
/// </summary>
internal static class FlowNoise
{
    /// <summary>Names the generator in provenance; change it whenever the values change.</summary>
    public const string Name = "splitmix64-boxmuller/1";

    private const ulong Gamma = 0x9E37_79B9_7F4A_7C15;
    private const double Unit = 1.0 / (1UL << 53);

    /// <summary>
    /// Fills <paramref name="destination"/> ([frames, channels], row-major) with the noise of frames
    /// <paramref name="firstFrame"/> .. <paramref name="firstFrame"/> + frames - 1.
    /// </summary>
    public static void Fill(int seed, long firstFrame, int channels, Span<float> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstFrame);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        if (destination.Length % channels != 0)
        {
            throw new ArgumentException($"The destination ({destination.Length}) is not whole frames of {channels} channels.", nameof(destination));
        }

        int frames = destination.Length / channels;
        for (int t = 0; t < frames; t++)
        {
            var row = destination.Slice(t * channels, channels);
            ulong frameKey = FrameKey(seed, firstFrame + t);
            for (int c = 0; c < channels; c += 2)
            {
                var (even, odd) = Pair(frameKey, c >> 1);
                row[c] = even;
                if (c + 1 < channels)
                {
                    row[c + 1] = odd;
                }
            }
        }
    }

    /// <summary>The noise value of one (seed, frame, channel).</summary>
    public static float Sample(int seed, long frame, int channel)
    {
        ulong frameKey = FrameKey(seed, frame);
        var (even, odd) = Pair(frameKey, channel >> 1);
        return (channel & 1) == 0 ? even : odd;
    }

    private static ulong FrameKey(int seed, long frame) => Mix(unchecked(Mix((ulong)(uint)seed + Gamma) ^ (ulong)frame));

    private static (float Even, float Odd) Pair(ulong frameKey, int pair)
    {
        ulong key = Mix(frameKey ^ unchecked((ulong)pair * Gamma));
        ulong a = Mix(unchecked(key + Gamma));
        ulong b = Mix(unchecked(key + (2 * Gamma)));
        double u1 = ((a >> 11) + 1) * Unit;   // (0, 1]: the log never sees 0
        double u2 = (b >> 11) * Unit;         // [0, 1)
        double r = Math.Sqrt(-2.0 * Math.Log(u1));
        double angle = 2.0 * Math.PI * u2;
        return ((float)(r * Math.Cos(angle)), (float)(r * Math.Sin(angle)));
    }

    private static ulong Mix(ulong z)
    {
        unchecked
        {
            z = (z ^ (z >> 30)) * 0xBF58_476D_1CE4_E5B9;
            z = (z ^ (z >> 27)) * 0x94D0_49BB_1331_11EB;
            return z ^ (z >> 31);
        }
    }
}
