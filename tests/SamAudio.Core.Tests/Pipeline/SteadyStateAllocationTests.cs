using System.Runtime.CompilerServices;
using SamAudio.Core.Activity;
using SamAudio.Core.Audio;
using SamAudio.Core.Dsp;
using SamAudio.Core.Pipeline;
using SamAudio.Core.Segmentation;
using SamAudio.Core.Separation;
using SamAudio.Core.Tests.Audio;
using Xunit.Abstractions;

namespace SamAudio.Core.Tests.Pipeline;

/// <summary>
/// No steady-state allocation in the data path: a recording four times as long allocates no more per window, for
/// outputs at the model's rate and at the recording's (target, and residual through the mixture tap), and faithful outputs. Decoding, the
/// model and each writer run on threads of their own, so this counts the whole process's allocations and runs alone
/// (<see cref="AllocationMeasurements"/>).
/// </summary>
[Collection(nameof(AllocationMeasurements))]
public sealed class SteadyStateAllocationTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>
    /// What one more window may allocate, on average: nothing, give or take the test host's own noise, which grows with
    /// the run's wall time and reached 240-760 bytes per window on the 2-core VM under other tenants' load (2026-12-02,
    /// the same with either resampler design). A buffer per window would be tens of kilobytes (a 2 s window of floats
    /// at 16 kHz is 128 KB), far above this.
    /// </summary>
    private const double BytesPerWindow = 1024;
    private const int Rate = 48_000;
    private const double SegmentSeconds = 2;
    private const double OverlapSeconds = 0.5;
    private readonly TempDir _temp = new();

    [Theory]
    [InlineData(OutputRateMode.Model, true, true, false)]
    [InlineData(OutputRateMode.Source, true, false, false)]
    [InlineData(OutputRateMode.Source, false, true, false)]
    [InlineData(OutputRateMode.Source, true, true, true)]
    public async Task Allocation_per_window_is_the_same_for_a_recording_four_times_as_long(OutputRateMode outputRate, bool target, bool residual, bool faithful)
    {
        ItemPrompt[] prompts = [new("a", "a", target, residual), new("b", "b", target, residual)];
        string shortFile = TestWav.Write(_temp.File("30s.wav"), new WavSpec(Rate, 2, 16), Rate * 30);
        string longFile = TestWav.Write(_temp.File("120s.wav"), new WavSpec(Rate, 2, 16), Rate * 120);
        await AllocatedBytesAsync(shortFile, prompts, outputRate, faithful); // JIT, statics, the thread pool's own queues

        // The least of two runs each: the host (xunit, the runtime's own threads) now and then allocates alongside.
        long shortBytes = long.MaxValue, longBytes = long.MaxValue;
        for (int i = 0; i < 2; i++)
        {
            shortBytes = Math.Min(shortBytes, await AllocatedBytesAsync(shortFile, prompts, outputRate, faithful));
            longBytes = Math.Min(longBytes, await AllocatedBytesAsync(longFile, prompts, outputRate, faithful));
        }

        // The result itself grows with the recording: each prompt's activity frames (0.1 s each, sized once).
        var engine = new PassThroughEngine();
        var segmentation = SegmentationOptions.FromSeconds(SegmentSeconds, OverlapSeconds, engine.Description.SampleRate);
        int frameSamples = ActivityFrames.FrameSamples(engine.Description.SampleRate, new ActivityOptions());
        long modelShort = 30L * engine.Description.SampleRate, modelLong = 120L * engine.Description.SampleRate;
        long activityBytes = prompts.Length * (CeilDiv(modelLong, frameSamples) - CeilDiv(modelShort, frameSamples)) * Unsafe.SizeOf<ActivityFrame>();
        long extraWindows = segmentation.WindowCount(modelLong) - segmentation.WindowCount(modelShort);

        double perWindow = (longBytes - shortBytes - activityBytes) / (double)extraWindows;
        string figures = $"{perWindow:F0} bytes per window ({outputRate} rate, target {target}, residual {residual}, faithful {faithful}): 30 s {shortBytes} bytes, " +
            $"120 s {longBytes} bytes, {extraWindows} more windows, {activityBytes} bytes of activity frames";
        output.WriteLine(figures);
        Assert.True(perWindow <= BytesPerWindow, figures);
    }

    [Theory]
    [InlineData(OutputRateMode.Model, true, true, false)]
    [InlineData(OutputRateMode.Source, true, true, false)]
    [InlineData(OutputRateMode.Source, true, true, true)]
    [InlineData(OutputRateMode.Source, true, true, false, true)]
    public async Task An_item_after_one_of_its_shape_takes_every_large_buffer_from_the_pool(OutputRateMode outputRate, bool target, bool residual, bool faithful, bool suppressBackground = false)
    {
        // A batch's next item: windows, crossfade sums, rings, resampler planes and the background suppressor's spectra
        // are the last item's, not new arrays.
        ItemPrompt[] prompts = [new("a", "a", target, residual), new("b", "b", target, residual)];
        string recording = TestWav.Write(_temp.File("10s.wav"), new WavSpec(Rate, 2, 16), Rate * 10);
        var background = suppressBackground ? BackgroundSuppressionOptions.Default : null;
        await AllocatedBytesAsync(recording, prompts, outputRate, faithful, background);

        long pooled = SampleBufferPool.AllocatedBytes;
        long bytes = await AllocatedBytesAsync(recording, prompts, outputRate, faithful, background);
        output.WriteLine($"second item: {bytes} bytes allocated in all, {SampleBufferPool.AllocatedBytes - pooled} of them new pool buffers");
        Assert.Equal(pooled, SampleBufferPool.AllocatedBytes);
        if (background is not null)
        {
            // The suppressor's own spectra (about 400 KB here) must not be new arrays either: only its small scratch is.
            await AllocatedBytesAsync(recording, prompts, outputRate, faithful);
            long kept = await AllocatedBytesAsync(recording, prompts, outputRate, faithful);
            output.WriteLine($"the same item with the background kept: {kept} bytes");
            Assert.True(bytes - kept < 128 * 1024, $"suppressing the background allocated {bytes - kept} bytes more than keeping it");
        }
    }

    public void Dispose() => _temp.Dispose();

    private async Task<long> AllocatedBytesAsync(string recording, ItemPrompt[] prompts, OutputRateMode outputRate, bool faithful, BackgroundSuppressionOptions? background = null)
    {
        using var reader = AudioReaders.Open(recording);
        var request = new ShardRequest
        {
            Prompts = prompts,
            OutputRate = outputRate,
            Faithful = faithful,
            Background = background,
            SegmentSeconds = SegmentSeconds,
            OverlapSeconds = OverlapSeconds,
            Span = ShardSpan.Whole(0, reader.Info.Frames),
        };
        long before = GC.GetTotalAllocatedBytes(precise: true);
        using (var separated = await new ShardSeparator(new PassThroughEngine()).SeparateAsync(reader, request, (_, _, _, _) => new CountingWriter()))
        {
            await separated.CompleteAsync();
        }

        return GC.GetTotalAllocatedBytes(precise: true) - before;
    }

    private static long CeilDiv(long a, long b) => (a + b - 1) / b;

    /// <summary>Counts what it is given and keeps nothing, so only the pipeline's own allocations are measured.</summary>
    private sealed class CountingWriter : ISampleWriter
    {
        public long FramesWritten { get; private set; }

        public long ClippedSamples => 0;

        public void Write(ReadOnlySpan<float> samples) => FramesWritten += samples.Length;

        public void Complete()
        {
        }

        public void Dispose()
        {
        }
    }
}

/// <summary>Tests that measure process-wide allocation run after the others, never beside them.</summary>
[CollectionDefinition(nameof(AllocationMeasurements), DisableParallelization = true)]
public sealed class AllocationMeasurements;
