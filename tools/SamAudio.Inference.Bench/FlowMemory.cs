using System.Diagnostics;
using Microsoft.Extensions.Logging;
using NAudio.Wave;
using SamAudio.Core.Segmentation;
using SamAudio.Inference.Packs;

namespace SamAudio.Inference.Bench;

/// <summary>
/// Memory of a flow-family run over a long recording through the product's <see cref="SegmentedSeparator"/> (the
/// multi-diffusion path by default): the recording is generated as it is read and the outputs are dropped, so what is
/// measured is the pipeline and the engine. Every 25 writes (40 s of audio with the miniature pack) it forces a full collection and records the live managed
/// bytes; it prints their peak, the managed bytes allocated per window and the process's peak working set.
/// </summary>
internal static class FlowMemory
{
    public static async Task RunAsync(string pack, double minutes, int steps, string method, ILogger logger)
    {
        var options = new InferenceOptions { Device = InferenceDevice.Cpu, Steps = steps, LongAudio = InferenceOptions.ParseLongAudio(method) };
        await using var engine = await ModelEngines.OpenAsync(new ModelCatalog([]), pack, options, logger);
        var d = engine.Description;
        var batch = await engine.EncodePromptsAsync(["a dog barking"]);
        var segmentation = SegmentationOptions.FromSeconds(d.SegmentSeconds, d.OverlapSeconds, d.SampleRate);
        long total = (long)(minutes * 60 * d.SampleRate);
        var sink = new PeakSink();
        long allocated0 = GC.GetTotalAllocatedBytes(precise: true);
        long baseline = GC.GetTotalMemory(forceFullCollection: true);
        var clock = Stopwatch.StartNew();

        long emitted = await new SegmentedSeparator(engine, segmentation).RunAsync(new NoiseSource(total, d.SampleRate), batch, sink);

        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated0;
        long windows = segmentation.WindowCount(total);
        using var process = Process.GetCurrentProcess();
        Console.WriteLine($"{d.ModelId} {method}, {steps} steps, {minutes} min ({emitted} of {total} samples, {windows} windows) in {clock.Elapsed.TotalSeconds:F0} s: " +
                          $"live managed peak {sink.PeakLive / 1e6:F1} MB (before the run {baseline / 1e6:F1} MB), " +
                          $"{allocated / (double)windows / 1e3:F1} kB allocated per window ({allocated / 1e6:F0} MB in all), " +
                          $"peak working set {process.PeakWorkingSet64 / 1e6:F0} MB");
    }

    private sealed class PeakSink : ISeparatedSink
    {
        private int _writes;

        public long PeakLive { get; private set; }

        public void Write(ReadOnlySpan<float> mixture, ReadOnlySpan<float> targets, ReadOnlySpan<float> residuals, int count)
        {
            if (++_writes % 25 == 0)
            {
                PeakLive = Math.Max(PeakLive, GC.GetTotalMemory(forceFullCollection: true));
            }
        }
    }

    /// <summary>Uniform noise generated as it is read, so the recording itself takes no memory.</summary>
    private sealed class NoiseSource(long total, int rate) : ISampleProvider
    {
        private readonly Random _random = new(1);
        private long _position;

        public WaveFormat WaveFormat { get; } = WaveFormat.CreateIeeeFloatWaveFormat(rate, 1);

        public int Read(Span<float> buffer)
        {
            int n = (int)Math.Min(buffer.Length, total - _position);
            for (int i = 0; i < n; i++)
            {
                buffer[i] = (float)((_random.NextDouble() * 0.2) - 0.1);
            }

            _position += n;
            return n;
        }
    }
}
