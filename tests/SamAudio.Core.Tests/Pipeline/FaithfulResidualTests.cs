using System.Buffers.Binary;
using System.Runtime.InteropServices;
using SamAudio.Core.Activity;
using SamAudio.Core.Audio;
using SamAudio.Core.Pipeline;
using SamAudio.Core.Segmentation;
using SamAudio.Core.Separation;
using SamAudio.Core.Tests.Audio;

namespace SamAudio.Core.Tests.Pipeline;

/// <summary>
/// Nothing is lost: at the recording's rate, target + residual is the mixture the item selected (its channel or the
/// downmix) to float rounding, with the recording's exact length, above the model's band too
/// (docs/decisions/0004-residual-at-source-rate.md).
/// </summary>
public sealed class FaithfulResidualTests : IDisposable
{
    private const double Tolerance = 1e-5;
    private static readonly ItemPrompt[] Prompts = [new("a", "a", true, true), new("b", "b", true, true)];
    private readonly TempDir _temp = new();

    public static TheoryData<int, int, string> RatesAndChannels()
    {
        var data = new TheoryData<int, int, string>();
        foreach (int rate in new[] { 16_000, 22_050, 44_100, 48_000, 96_000 })
        {
            data.Add(rate, 1, "mix");
            data.Add(rate, 1, "0");
            data.Add(rate, 2, "mix");
            data.Add(rate, 2, "0");
            data.Add(rate, 2, "1");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RatesAndChannels))]
    public async Task Target_plus_residual_is_the_selected_mixture_at_the_recording_s_rate(int rate, int channels, string channel)
    {
        // 5.3 s with 2 s / 0.5 s windows: four crossfades and a padded last window; noise reaches the Nyquist.
        int frames = (int)(rate * 5.3);
        var recording = Recording(rate, channels, frames);
        string path = FloatWav.Write(_temp.File($"in-{rate}-{channels}.wav"), rate, channels, recording);
        var selection = ChannelSelection.Parse(channel);

        var outputs = await SeparateAsync(new WindowSensitiveEngine(), path, selection, ShardSpan.Whole(0, frames), _temp.File($"out-{rate}-{channels}-{channel}"));

        float[] mixture = Select(recording, channels, selection);
        foreach (var prompt in Prompts)
        {
            float[] target = outputs[$"{prompt.Slug}.target"], residual = outputs[$"{prompt.Slug}.residual"];
            Assert.Equal(frames, target.Length);
            Assert.Equal(frames, residual.Length);
            Assert.True(PeakError(target, residual, mixture) <= Tolerance, $"{prompt.Slug}: |target + residual - mixture| reaches {PeakError(target, residual, mixture)}");
        }
    }

    [Fact]
    public async Task A_sharded_run_gives_the_whole_run_s_bytes_and_the_joined_outputs_still_sum_to_the_mixture()
    {
        const int rate = 44_100, channels = 2;
        int frames = (int)(rate * 13.1);
        var recording = Recording(rate, channels, frames);
        string path = FloatWav.Write(_temp.File("in.wav"), rate, channels, recording);
        var engine = new WindowSensitiveEngine();
        var selection = ChannelSelection.Index(1);
        long start = (long)(rate * 0.9), end = (long)(rate * 12.7);
        var shards = ShardGrid.Plan(rate, 16_000, SegmentationOptions.FromSeconds(2, 0.5, 16_000), ActivityFrames.FrameSamples(16_000, new ActivityOptions()), start, end, rate * 3L);
        Assert.True(shards.Count >= 3, $"{shards.Count} shards");

        var whole = await SeparateAsync(engine, path, selection, ShardSpan.Whole(start, end), _temp.File("whole"));
        var parts = new List<Dictionary<string, float[]>>();
        foreach (var shard in shards)
        {
            parts.Add(await SeparateAsync(engine, path, selection, shard, _temp.File($"shard{shard.Index}")));
        }

        float[] mixture = Select(recording, channels, selection)[(int)start..(int)end];
        foreach (var (name, samples) in whole)
        {
            float[] joined = parts.SelectMany(p => p[name]).ToArray();
            Assert.True(MemoryMarshal.AsBytes(samples.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(joined.AsSpan())), $"{name}: the shards differ from the whole run");
        }

        Assert.True(PeakError(whole["a.target"], whole["a.residual"], mixture) <= Tolerance);
    }

    [Fact]
    public async Task The_target_keeps_the_model_s_band_and_the_residual_holds_everything_above_it()
    {
        // Pass-through model: the target is what the model heard. 1 kHz is in its band, 12 kHz above its 8 kHz Nyquist.
        const int rate = 48_000;
        int frames = rate * 5;
        var mixture = new float[frames];
        for (int i = 0; i < frames; i++)
        {
            mixture[i] = (float)((0.3 * Math.Sin(2 * Math.PI * 1000 * i / rate)) + (0.3 * Math.Sin(2 * Math.PI * 12_000 * i / rate)));
        }

        string path = FloatWav.Write(_temp.File("two-tones.wav"), rate, 1, mixture);
        var outputs = await SeparateAsync(new PassThroughEngine(16_000, 2, 0.5), path, ChannelSelection.Mix, ShardSpan.Whole(0, frames), _temp.File("two-tones"));

        float[] target = outputs["a.target"], residual = outputs["a.residual"];
        Assert.InRange(Level(target, rate, 1000), 0.299, 0.301);
        Assert.True(Level(target, rate, 12_000) < 1e-4, $"target at 12 kHz: {Level(target, rate, 12_000)}");
        Assert.True(Level(residual, rate, 1000) < 1e-3, $"residual at 1 kHz: {Level(residual, rate, 1000)}");
        Assert.InRange(Level(residual, rate, 12_000), 0.299, 0.301);
    }

    public void Dispose() => _temp.Dispose();

    private static float[] Recording(int rate, int channels, int frames) => TestMixtures.Recording(rate, channels, frames, seed: 17, lowHz: 300);

    private static float[] Select(float[] interleaved, int channels, ChannelSelection selection) => TestMixtures.Select(interleaved, channels, selection);

    private static async Task<Dictionary<string, float[]>> SeparateAsync(ISeparationEngine engine, string recording, ChannelSelection channel, ShardSpan span, string folder)
    {
        using var reader = AudioReaders.Open(recording);
        var request = new ShardRequest { Prompts = Prompts, Channel = channel, Span = span };
        using var separated = await new ShardSeparator(engine).SeparateAsync(
            reader, request, (prompt, kind, _, _) => new RawFloatWriter(Path.Combine(folder, $"{prompt.Slug}.{kind}.raw")));
        var completed = await separated.CompleteAsync();
        Assert.All(completed, c => Assert.Equal(reader.Info.SampleRate, c.SampleRate));
        return completed.ToDictionary(c => $"{c.Prompt.Slug}.{c.Kind}", c => MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(Path.Combine(folder, $"{c.Prompt.Slug}.{c.Kind}.raw"))).ToArray());
    }

    private static double PeakError(float[] target, float[] residual, float[] mixture)
    {
        double peak = 0;
        for (int i = 0; i < mixture.Length; i++)
        {
            peak = Math.Max(peak, Math.Abs((double)target[i] + residual[i] - mixture[i]));
        }

        return peak;
    }

    /// <summary>Amplitude of one frequency over the middle of the signal (projection on a sine and a cosine).</summary>
    private static double Level(float[] x, int rate, double hz)
    {
        double re = 0, im = 0;
        int from = rate, to = x.Length - rate;
        for (int i = from; i < to; i++)
        {
            double phase = 2 * Math.PI * hz * i / rate;
            re += x[i] * Math.Cos(phase);
            im += x[i] * Math.Sin(phase);
        }

        return 2 * Math.Sqrt((re * re) + (im * im)) / (to - from);
    }

    /// <summary>A 32-bit float WAV, so the decoded samples are exactly the generated ones.</summary>
    internal static class FloatWav
    {
        public static string Write(string path, int rate, int channels, float[] interleaved)
        {
            int dataBytes = interleaved.Length * 4;
            var bytes = new byte[44 + dataBytes];
            "RIFF"u8.CopyTo(bytes);
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), 36 + dataBytes);
            "WAVEfmt "u8.CopyTo(bytes.AsSpan(8));
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(16), 16);
            BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(20), 3);
            BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(22), (short)channels);
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(24), rate);
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(28), rate * channels * 4);
            BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(32), (short)(channels * 4));
            BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(34), 32);
            "data"u8.CopyTo(bytes.AsSpan(36));
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(40), dataBytes);
            MemoryMarshal.AsBytes(interleaved.AsSpan()).CopyTo(bytes.AsSpan(44));
            File.WriteAllBytes(path, bytes);
            return path;
        }
    }
}
