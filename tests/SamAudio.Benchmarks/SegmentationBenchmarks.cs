using BenchmarkDotNet.Attributes;
using NAudio.Wave;
using SamAudio.Core.Activity;
using SamAudio.Core.Segmentation;
using SamAudio.Core.Separation;

namespace SamAudio.Benchmarks;

/// <summary>
/// Cost of the long-audio machinery without a model: windowing, crossfade and overlap-add of one minute
/// at 16 kHz through the pass-through engine, for one and four prompts. Allocations must not grow with length.
/// </summary>
[MemoryDiagnoser]
public class SegmentationBenchmarks
{
    private const int Rate = 16_000;
    private readonly float[] _minute = new float[60 * Rate];
    private PromptBatch _prompts = null!;

    [Params(1, 4)]
    public int Prompts { get; set; }

    [GlobalSetup]
    public async Task Setup()
    {
        var random = new Random(1);
        for (int i = 0; i < _minute.Length; i++)
        {
            _minute[i] = (float)(random.NextDouble() - 0.5);
        }

        await using var engine = new PassThroughEngine(Rate);
        _prompts = await engine.EncodePromptsAsync(Enumerable.Range(0, Prompts).Select(i => $"p{i}").ToList());
    }

    [Benchmark]
    public async Task<long> Overlap_add_one_minute()
    {
        await using var engine = new PassThroughEngine(Rate);
        return await new SegmentedSeparator(engine, new SegmentationOptions(10 * Rate, 2 * Rate)).RunAsync(new ArraySource(_minute), _prompts, new NullSink());
    }

    [Benchmark]
    public int Activity_one_minute()
    {
        var detector = new ActivityDetector(Rate, 0);
        detector.Add(_minute, _minute);
        return detector.Complete().Count;
    }

    private sealed class ArraySource(float[] samples) : ISampleProvider
    {
        private int _position;

        public WaveFormat WaveFormat { get; } = WaveFormat.CreateIeeeFloatWaveFormat(Rate, 1);

        public int Read(Span<float> buffer)
        {
            int n = Math.Min(buffer.Length, samples.Length - _position);
            samples.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }
    }

    private sealed class NullSink : ISeparatedSink
    {
        public void Write(ReadOnlySpan<float> mixture, ReadOnlySpan<float> targets, ReadOnlySpan<float> residuals, int count)
        {
        }
    }
}
