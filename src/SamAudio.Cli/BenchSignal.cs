using NAudio.Wave;

namespace SamAudio.Cli;

/// <summary>
/// A deterministic synthetic field recording for benchmarks: a low hum, birdsong-like chirps every few
/// seconds and filtered noise, written as 16-bit PCM WAV block by block (never held in memory).
/// </summary>
internal static class BenchSignal
{
    public static void Write(string path, double minutes, int sampleRate, int seed)
    {
        var random = new Random(seed);
        using var writer = new WaveFileWriter(path, new WaveFormat(sampleRate, 16, 1));
        long total = (long)Math.Round(minutes * 60 * sampleRate);
        var block = new float[sampleRate];
        double noise = 0;
        for (long start = 0; start < total; start += block.Length)
        {
            int n = (int)Math.Min(block.Length, total - start);
            for (int i = 0; i < n; i++)
            {
                double t = (start + i) / (double)sampleRate;
                double hum = 0.05 * Math.Sin(2 * Math.PI * 50 * t);
                double phase = t % 3.0;
                double chirp = phase < 0.4 ? 0.3 * Math.Sin(2 * Math.PI * (2000 + 1500 * phase) * phase) * Math.Sin(Math.PI * phase / 0.4) : 0;
                noise = 0.97 * noise + 0.03 * (random.NextDouble() * 2 - 1);
                block[i] = (float)(hum + chirp + 0.2 * noise);
            }

            writer.WriteSamples(block, 0, n);
        }
    }
}
