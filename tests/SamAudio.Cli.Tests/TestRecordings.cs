using System.Diagnostics;
using SamAudio.Core.Audio;

namespace SamAudio.Cli.Tests;

/// <summary>
/// Real audio files in every supported format, made with Debian's <c>sox</c> (installed by <c>.ci/run</c>):
/// a tone plus noise, a few seconds long, at different rates, depths and channel counts.
/// </summary>
internal static class TestRecordings
{
    public static readonly (string File, string SoxOptions)[] MixedFormats =
    [
        ("pcm16.wav", "-r 44100 -b 16 -c 1"),
        ("pcm24.wav", "-r 48000 -b 24 -c 1"),
        ("float32.wav", "-r 16000 -e floating-point -b 32 -c 1"),
        ("lossless.flac", "-r 22050 -b 16 -c 1"),
        ("lossy.mp3", "-r 44100 -c 1"),
        ("stereo.wav", "-r 48000 -b 16 -c 2"),
    ];

    public static void Make(string path, string soxOptions, double seconds = 7.3)
    {
        Sox($"-R -n {soxOptions} \"{path}\" synth {seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)} sine 440 pinknoise vol 0.4");
    }

    /// <summary>Every sample of an audio file (interleaved when it has several channels), read by the product's readers.</summary>
    public static float[] ReadAll(string path)
    {
        using var reader = AudioReaders.Open(path);
        var samples = new float[reader.Info.Frames * reader.Info.Channels];
        int total = 0;
        int n;
        while ((n = reader.Read(samples.AsSpan(total))) > 0)
        {
            total += n;
        }

        return samples[..total];
    }

    public static void Sox(string arguments)
    {
        var start = new ProcessStartInfo("sox", arguments) { RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("sox did not start; install it with apt-get install sox libsox-fmt-all");
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"sox {arguments} failed: {error}");
        }
    }

    public static string Sha256Sum(string path)
    {
        var start = new ProcessStartInfo("sha256sum", $"\"{path}\"") { RedirectStandardOutput = true, UseShellExecute = false };
        using var process = Process.Start(start)!;
        string line = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return line.Split(' ')[0];
    }
}
