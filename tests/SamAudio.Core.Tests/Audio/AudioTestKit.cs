using NAudio.Wave;

namespace SamAudio.Core.Tests.Audio;

/// <summary>A temporary folder removed with everything in it when disposed.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "samaudio-tests-" + Guid.NewGuid().ToString("N"));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

/// <summary>Helpers shared by the audio tests.</summary>
internal static class AudioTestKit
{
    public static string TestFile(string name) => Path.Combine(AppContext.BaseDirectory, "Audio", "TestFiles", name);

    /// <summary>The checkout's root: the first folder above the test binaries that holds samples/manifest.json.</summary>
    public static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "samples", "manifest.json"))) return folder.FullName;
        throw new DirectoryNotFoundException("No samples/manifest.json above " + AppContext.BaseDirectory);
    }

    /// <summary>Reads a provider to its end with an odd buffer size, so reads straddle internal blocks.</summary>
    public static float[] ReadAll(ISampleProvider provider, int framesPerRead = 1000)
    {
        var channels = provider.WaveFormat.Channels;
        var buffer = new float[framesPerRead * channels];
        var all = new List<float>();
        int got;
        while ((got = provider.Read(buffer)) > 0) all.AddRange(buffer.AsSpan(0, got));
        return [.. all];
    }

    /// <summary>Signal-to-noise ratio in dB of <paramref name="actual"/> against <paramref name="reference"/>.</summary>
    public static double SnrDb(ReadOnlySpan<float> reference, ReadOnlySpan<float> actual)
    {
        double signal = 0, noise = 0;
        for (var i = 0; i < reference.Length; i++)
        {
            signal += (double)reference[i] * reference[i];
            var e = (double)actual[i] - reference[i];
            noise += e * e;
        }

        return 10 * Math.Log10(signal / Math.Max(noise, 1e-30));
    }

    /// <summary>Sample values of a mono sine.</summary>
    public static float[] Sine(int frames, double frequency, int sampleRate, double amplitude = 0.5)
    {
        var x = new float[frames];
        for (var i = 0; i < frames; i++) x[i] = (float)(amplitude * Math.Sin(2 * Math.PI * frequency * i / sampleRate));
        return x;
    }

    /// <summary>RMS of a span.</summary>
    public static double Rms(ReadOnlySpan<float> x)
    {
        double sum = 0;
        foreach (var v in x) sum += (double)v * v;
        return Math.Sqrt(sum / Math.Max(1, x.Length));
    }
}

/// <summary>An in-memory mono or interleaved source that returns at most <c>maxPerRead</c> samples per call.</summary>
internal sealed class ArraySampleProvider(float[] samples, int sampleRate, int channels = 1, int maxPerRead = int.MaxValue) : ISampleProvider
{
    private int position;

    public WaveFormat WaveFormat { get; } = WaveFormat.CreateIeeeFloatWaveFormat(sampleRate, channels);

    public int Read(Span<float> buffer)
    {
        var count = Math.Min(Math.Min(buffer.Length, samples.Length - position), maxPerRead);
        count -= count % channels;
        samples.AsSpan(position, count).CopyTo(buffer);
        position += count;
        return count;
    }
}

/// <summary>An endless source that allocates nothing; for allocation tests.</summary>
internal sealed class EndlessSineProvider(int sampleRate, int channels) : ISampleProvider
{
    private long frame;

    public WaveFormat WaveFormat { get; } = WaveFormat.CreateIeeeFloatWaveFormat(sampleRate, channels);

    public int Read(Span<float> buffer)
    {
        var frames = buffer.Length / channels;
        for (var f = 0; f < frames; f++, frame++)
            for (var c = 0; c < channels; c++)
                buffer[(f * channels) + c] = (float)Math.Sin(frame * 0.01 * (c + 1));
        return frames * channels;
    }
}
