using BenchmarkDotNet.Attributes;
using SamAudio.Core.Audio;
using SamAudio.Core.Audio.Decoders;
using SamAudio.Core.Audio.Decoders.Flac;

namespace SamAudio.Benchmarks;

/// <summary>
/// Whole-file FLAC decode to float, the managed reader against libsndfile on the same files, and the MD5 check:
/// after a sequential decode (the hash ran alongside) and as a second pass of its own. The files are not in the
/// repository: set SAMAUDIO_FLAC_BENCH to a folder holding them, for example 10-minute stereo files from
/// <c>sox -n -r 48000 -c 2 -b 24 s24.wav synth 600 pinknoise vol 0.25 &amp;&amp; flac -8 s24.wav</c>
/// (and the same at 44.1 kHz, 16 bits, as s16.flac).
/// </summary>
public class FlacDecodeBenchmarks
{
    private readonly float[] buffer = new float[8192 * 2];

    [Params("s24.flac", "s16.flac")]
    public string File { get; set; } = "";

    private string Path => System.IO.Path.Combine(
        Environment.GetEnvironmentVariable("SAMAUDIO_FLAC_BENCH") ?? "/tmp/flacbench", File);

    [Benchmark(Baseline = true)]
    public long Libsndfile_decode()
    {
        using var reader = SndFileReader.Open(Path);
        return Drain(reader);
    }

    [Benchmark]
    public long Managed_decode()
    {
        using var reader = FlacFileReader.Open(Path);
        return Drain(reader);
    }

    [Benchmark]
    public long Managed_decode_then_md5_check()
    {
        using var reader = FlacFileReader.Open(Path);
        var samples = Drain(reader);
        return reader.VerifyIntegrity().Result == "verified" ? samples : throw new InvalidOperationException("not verified");
    }

    [Benchmark]
    public string Managed_md5_check_second_pass()
    {
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
