using BenchmarkDotNet.Attributes;
using SamAudio.Benchmarks.Libsndfile;
using SamAudio.Core.Audio;
using SamAudio.Core.Audio.Decoders.Flac;

namespace SamAudio.Benchmarks;

/// <summary>
/// Whole-file decode to float of every compressed format: the product's managed readers against libsndfile (where it
/// is installed) on the same files in the same run, and for FLAC the MD5 check after a sequential decode (the hash
/// ran alongside) and as a second pass of its own. The files are not in the repository: set SAMAUDIO_DECODE_BENCH to
/// a folder holding them, made for example from 10 minutes of stereo pink noise:
/// <c>sox -n -r 48000 -c 2 -b 24 s24.wav synth 600 pinknoise vol 0.25 &amp;&amp; flac -8 s24.wav</c> (and at 44.1 kHz,
/// 16 bits, as s16.wav/s16.flac), then <c>lame -b 192 s16.wav s16.mp3</c>, <c>oggenc -q 5 s16.wav</c>,
/// <c>opusenc --bitrate 128 s16.wav s16.opus</c>.
/// </summary>
public class DecodeBenchmarks
{
    private readonly float[] buffer = new float[8192 * 2];

    [Params("s24.flac", "s16.flac", "s16.mp3", "s16.ogg", "s16.opus")]
    public string File { get; set; } = "";

    private string Path => System.IO.Path.Combine(
        Environment.GetEnvironmentVariable("SAMAUDIO_DECODE_BENCH") ?? "/tmp/decodebench", File);

    [Benchmark(Baseline = true)]
    public long Libsndfile_decode()
    {
        using var reader = SndFileReader.Open(Path);
        return Drain(reader);
    }

    [Benchmark]
    public long Managed_decode()
    {
        using var reader = AudioReaders.Open(Path);
        return Drain(reader);
    }

    [Benchmark]
    public long Managed_decode_then_integrity_check()
    {
        using var reader = AudioReaders.Open(Path);
        var samples = Drain(reader);
        return reader.VerifyIntegrity().Result is "verified" or "none" ? samples : throw new InvalidOperationException("not verified");
    }

    [Benchmark]
    public string Flac_md5_check_second_pass()
    {
        if (!File.EndsWith(".flac", StringComparison.Ordinal)) return "n/a";
        using var reader = FlacFileReader.Open(Path);
        reader.SeekToFrame(1);
        return reader.VerifyIntegrity().Result;
    }

    private long Drain(IAudioReader reader)
    {
        long total = 0;
        int got;
        while ((got = reader.Read(buffer)) > 0) total += got;
        return total;
    }
}
