using SamAudio.Core.Audio;

namespace SamAudio.Core.Tests.Pipeline;

/// <summary>Test recordings for the output-faithfulness tests, and the mixture an item selects from them.</summary>
internal static class TestMixtures
{
    /// <summary>
    /// Interleaved audio: per channel its own deterministic white noise (seeded <paramref name="seed"/> + channel), a low
    /// tone at <paramref name="lowHz"/> x (channel + 1) and a tone near the Nyquist.
    /// </summary>
    public static float[] Recording(int rate, int channels, int frames, int seed, double lowHz)
    {
        var samples = new float[frames * channels];
        for (int c = 0; c < channels; c++)
        {
            var random = new Random(seed + c);
            double low = lowHz * (c + 1), high = rate * (0.37 - (0.05 * c));
            for (int f = 0; f < frames; f++)
            {
                samples[(f * channels) + c] = (float)((0.2 * ((random.NextDouble() * 2) - 1)) + (0.3 * Math.Sin(2 * Math.PI * low * f / rate))
                    + (0.2 * Math.Sin(2 * Math.PI * high * f / rate)));
            }
        }

        return samples;
    }

    /// <summary>The mixture an item selects: one channel, or the average as the channel selector computes it.</summary>
    public static float[] Select(float[] interleaved, int channels, ChannelSelection selection)
    {
        var mono = new float[interleaved.Length / channels];
        for (int f = 0; f < mono.Length; f++)
        {
            var frame = interleaved.AsSpan(f * channels, channels);
            if (!selection.IsMix)
            {
                mono[f] = frame[selection.ChannelIndex];
                continue;
            }

            float sum = 0;
            foreach (float v in frame)
            {
                sum += v;
            }

            mono[f] = sum * (1f / channels);
        }

        return mono;
    }
}
