using SamAudio.Reports.Signals;
using SamAudio.Reports.Spectrograms;

namespace SamAudio.Reports.Tests.Spectrograms;

/// <summary>
/// Runs alone (<see cref="AllocationMeasurements"/>): one test counts the process's allocations, which tests running
/// beside it would add to.
/// </summary>
[Collection(nameof(AllocationMeasurements))]
public sealed class SpectrogramAnalyzerTests
{
    [Theory]
    [InlineData(16000, 3000.0)]
    [InlineData(48000, 11025.0)]
    public async Task A_pure_tone_peaks_in_the_row_of_its_frequency_in_every_column(int rate, double hz)
    {
        using var files = new TestSignals();
        var source = SignalSource.FromFile(files.Write("tone.wav", rate, 4, TestSignals.Tone(hz)), "tone");

        var s = await new SpectrogramAnalyzer(new SpectrogramOptions()).AnalyzeAsync(source, 0);

        double rowHz = s.NyquistHz / s.Rows;
        for (int c = 1; c < s.Columns - 1; c++)
        {
            var column = s.Db.AsSpan(c * s.Rows, s.Rows);
            int peak = System.Numerics.Tensors.TensorPrimitives.IndexOfMax(column);
            Assert.InRange((peak + 0.5) * rowHz, hz - rowHz, hz + rowHz);
        }

        // A 0.5 amplitude sine is -6 dBFS.
        Assert.InRange(s.MaxDb, -7.5, -5);
    }

    [Fact]
    public async Task A_long_signal_is_pooled_into_at_most_the_column_limit_and_a_short_click_survives()
    {
        using var files = new TestSignals();
        const int Rate = 8000;
        var source = SignalSource.FromFile(files.Write("long.wav", Rate, 120, t => t is >= 61.0 and < 61.01 ? 0.9 : 0.0), "click");

        var s = await new SpectrogramAnalyzer(new SpectrogramOptions { MaxColumns = 200 }).AnalyzeAsync(source, 0);

        Assert.Equal(200, s.Columns);
        Assert.True(s.FramesPerColumn > 8, $"{s.FramesPerColumn} frames per column");
        int clickColumn = (int)(61.0 / 120 * s.Columns);
        float loudest = s.Db.AsSpan(clickColumn * s.Rows, s.Rows).ToArray().Max();
        float quiet = s.Db.AsSpan(10 * s.Rows, s.Rows).ToArray().Max();
        Assert.True(loudest > -40, $"click column peaks at {loudest} dBFS");
        Assert.True(quiet < -200, $"silent column peaks at {quiet} dBFS");
    }

    [Fact]
    public async Task Runs_side_by_side_give_the_same_grid_as_one_run()
    {
        using var files = new TestSignals();
        var random = new Random(3);
        // Noise with a click, long enough for several runs, and a column count that does not divide the frames evenly.
        var source = SignalSource.FromFile(files.Write("noise.wav", 16000, 600, t => t is >= 77.3 and < 77.31 ? 0.9 : (random.NextDouble() - 0.5) * 0.1), "noise");

        var one = await new SpectrogramAnalyzer(new SpectrogramOptions { MaxColumns = 997, Parallelism = 1 }).AnalyzeAsync(source, 0);
        var three = await new SpectrogramAnalyzer(new SpectrogramOptions { MaxColumns = 997, Parallelism = 3 }).AnalyzeAsync(source, 0);

        Assert.Equal(997, one.Columns);
        Assert.Equal(one.Db, three.Db);
        Assert.DoesNotContain(-300f, one.Db);
    }

    [Fact]
    public async Task Memory_allocated_does_not_grow_with_the_length_of_the_signal()
    {
        using var files = new TestSignals();
        var shortSource = SignalSource.FromFile(files.Write("short.wav", 16000, 30, TestSignals.Tone(440)), "short");
        var longSource = SignalSource.FromFile(files.Write("long.wav", 16000, 300, TestSignals.Tone(440)), "long");
        var analyzer = new SpectrogramAnalyzer(new SpectrogramOptions { MaxColumns = 500 });
        await analyzer.AnalyzeAsync(shortSource, 0);

        long shortBytes = await FewestAllocatedBytesAsync(() => analyzer.AnalyzeAsync(shortSource, 0));
        long longBytes = await FewestAllocatedBytesAsync(() => analyzer.AnalyzeAsync(longSource, 0));

        // Ten times the length: the same buffers, grid and reader, give or take the reader's bookkeeping.
        Assert.True(longBytes < shortBytes * 2, $"30 s: {shortBytes} bytes, 300 s: {longBytes} bytes");
    }

    /// <summary>
    /// The process-wide bytes allocated by the fewest-allocating of three runs: on a loaded machine a run's file reads
    /// complete asynchronously more often, and each such await allocates (a fresh-clone CI run once saw 2.3 MB for
    /// 300 s against 0.9 MB for 30 s, where a quiet one sees the two about equal).
    /// </summary>
    private static async Task<long> FewestAllocatedBytesAsync(Func<Task> run)
    {
        long fewest = long.MaxValue;
        for (int i = 0; i < 3; i++)
        {
            long before = GC.GetTotalAllocatedBytes(precise: true);
            await run();
            fewest = Math.Min(fewest, GC.GetTotalAllocatedBytes(precise: true) - before);
        }

        return fewest;
    }
}

/// <summary>Tests that measure process-wide allocation run after the others, never beside them.</summary>
[CollectionDefinition(nameof(AllocationMeasurements), DisableParallelization = true)]
public sealed class AllocationMeasurements;
