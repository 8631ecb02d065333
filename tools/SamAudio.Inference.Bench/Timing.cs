using System.Diagnostics;

namespace SamAudio.Inference.Bench;

/// <summary>Median wall time of repeated calls after warm-up.</summary>
internal static class Timing
{
    public static double MedianMs(Action action, int warmup = 3, int runs = 15)
    {
        for (int i = 0; i < warmup; i++)
        {
            action();
        }

        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++)
        {
            long start = Stopwatch.GetTimestamp();
            action();
            ms[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        Array.Sort(ms);
        return ms[runs / 2];
    }

    public static float[] Noise(int length)
    {
        var random = new Random(1);
        return Enumerable.Range(0, length).Select(_ => (float)((random.NextDouble() * 2) - 1) * 0.5f).ToArray();
    }
}
