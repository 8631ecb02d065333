using SamAudio.Core.Audio;

namespace SamAudio.Reports.Tests;

/// <summary>Test recordings written with the product's own WAV writer (mono float), in a folder removed afterwards.</summary>
internal sealed class TestSignals : IDisposable
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("samaudio-report-test-").FullName;

    /// <summary>Writes <paramref name="seconds"/> of <paramref name="sample"/>(t) at <paramref name="rate"/> Hz and returns the path.</summary>
    public string Write(string name, int rate, double seconds, Func<double, double> sample)
    {
        string path = Path.Combine(Folder, name);
        using var writer = WavOutputWriter.Create(path, rate, []);
        var block = new float[4096];
        long frames = (long)(seconds * rate);
        for (long at = 0; at < frames; at += block.Length)
        {
            int n = (int)Math.Min(block.Length, frames - at);
            for (int i = 0; i < n; i++) block[i] = (float)sample((at + i) / (double)rate);
            writer.Write(block.AsSpan(0, n));
        }

        writer.Complete();
        return path;
    }

    public static Func<double, double> Tone(double hz, double amplitude = 0.5) => t => amplitude * Math.Sin(2 * Math.PI * hz * t);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder does not change a result.
        }
    }
}
