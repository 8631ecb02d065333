using System.Security.Cryptography;
using SamAudio.Core.Audio;

namespace SamAudio.Cli.Tests;

/// <summary>
/// Recordings for the end-to-end tests, made in-process so the tests need no audio tool: WAVs of a 440 Hz tone plus
/// pink noise at any rate, depth and channel count, and small committed FLAC and MP3 files (<c>TestFiles/</c>, made
/// once by <c>TestFiles/make.sh</c>) for the formats the tests cannot encode.
/// </summary>
internal static class TestRecordings
{
    /// <summary>One item per supported kind of input; <c>Write</c> puts the recording at the path it is given.</summary>
    public static readonly (string File, Action<string> Write)[] MixedFormats =
    [
        ("pcm16.wav", path => Make(path, new RecordingFormat(44_100, 1, SampleEncoding.Pcm16))),
        ("pcm24.wav", path => Make(path, new RecordingFormat(48_000, 1, SampleEncoding.Pcm24))),
        ("float32.wav", path => Make(path, new RecordingFormat(16_000, 1, SampleEncoding.Float32))),
        ("lossless.flac", path => CopyFixture("lossless.flac", path)), // 22.05 kHz, 16-bit, mono, 2 s
        ("lossy.mp3", path => CopyFixture("lossy.mp3", path)), // 44.1 kHz, mono, 2 s
        ("stereo.wav", path => Make(path, new RecordingFormat(48_000, 2, SampleEncoding.Pcm16))),
    ];

    /// <summary>
    /// Writes a WAV of <paramref name="seconds"/> of a 440 Hz tone (peak 0.2) plus pink noise (RMS 0.05) in every
    /// channel; each channel has its own noise, so the channels differ. The same arguments give the same bytes.
    /// </summary>
    public static void Make(string path, RecordingFormat format, double seconds = 7.3)
    {
        var tone = TestSignals.Sine(format.SampleRate, seconds, 440, 0.2);
        var channels = new float[format.Channels][];
        for (int c = 0; c < channels.Length; c++)
        {
            channels[c] = TestSignals.Sum(tone, TestSignals.PinkNoise(format.SampleRate, seconds, 0.05, seed: 1 + c));
        }

        TestWavWriter.Write(path, format, channels);
    }

    /// <summary>Copies the committed recording <c>TestFiles/<paramref name="name"/></c> to <paramref name="path"/>.</summary>
    public static void CopyFixture(string name, string path) =>
        File.Copy(Path.Combine(AppContext.BaseDirectory, "TestFiles", name), path, overwrite: true);

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

    /// <summary>The SHA-256 of a file's bytes as lowercase hex, as <c>sha256sum</c> prints it.</summary>
    public static string Sha256Sum(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
