using SamAudio.Core.Dsp;

namespace SamAudio.Core.Tests.Dsp;

public sealed class BackgroundSuppressorTests
{
    private const int Rate = 16000;
    private const int Window = 10 * Rate;

    [Fact]
    public void With_nothing_to_subtract_the_target_comes_back_unchanged()
    {
        var window = Bed(Window, seed: 1, level: 0.05f);
        var target = Bed(Window, seed: 2, level: 0.02f);
        var targets = (float[])target.Clone();
        var residuals = new float[Window];
        using var suppressor = new BackgroundSuppressor(Rate, Window, new BackgroundSuppressionOptions { OverSubtraction = 0 });

        suppressor.Apply(window, Window, targets, residuals, prompts: 1);

        for (int i = 0; i < Window; i++)
        {
            Assert.True(Math.Abs(targets[i] - target[i]) <= 1e-6, $"sample {i}: {targets[i]} against {target[i]}");
            Assert.Equal(window[i] - targets[i], residuals[i]);
        }
    }

    [Fact]
    public void The_steady_bed_leaves_the_target_and_a_call_above_it_stays()
    {
        // The model passed everything: the target is the mixture, a noise bed with a 1 kHz call 20 dB above it in 3-4 s.
        var window = Bed(Window, seed: 3, level: 0.01f);
        int callStart = 3 * Rate, callEnd = 4 * Rate;
        var call = new float[Window];
        for (int i = callStart; i < callEnd; i++)
        {
            call[i] = 0.1f * MathF.Sin(2 * MathF.PI * 1000 * i / Rate);
            window[i] += call[i];
        }

        var targets = (float[])window.Clone();
        var residuals = new float[Window];
        using var suppressor = new BackgroundSuppressor(Rate, Window);
        suppressor.Apply(window, Window, targets, residuals, prompts: 1);

        double bedBefore = Energy(window, 6 * Rate, 9 * Rate), bedAfter = Energy(targets, 6 * Rate, 9 * Rate);
        Assert.True(Db(bedAfter / bedBefore) <= -12, $"the bed alone fell by {Db(bedAfter / bedBefore):F1} dB");
        double callBefore = Energy(window, callStart + 800, callEnd - 800), callAfter = Energy(targets, callStart + 800, callEnd - 800);
        Assert.True(Math.Abs(Db(callAfter / callBefore)) <= 1, $"the call changed by {Db(callAfter / callBefore):F2} dB");
        for (int i = 0; i < Window; i++)
        {
            Assert.Equal(window[i] - targets[i], residuals[i]); // what left the target is in the residual
        }
    }

    [Fact]
    public void Every_prompt_of_the_window_is_suppressed_with_the_mixtures_own_floor()
    {
        var window = Bed(Window, seed: 4, level: 0.01f);
        var targets = new float[2 * Window];
        window.CopyTo(targets, 0);
        for (int i = 0; i < Window; i++)
        {
            targets[Window + i] = 0.5f * window[i];
        }

        var residuals = new float[2 * Window];
        using var suppressor = new BackgroundSuppressor(Rate, Window);
        suppressor.Apply(window, Window, targets, residuals, prompts: 2);

        for (int i = Rate; i < Window - Rate; i += 997)
        {
            Assert.True(Math.Abs(targets[Window + i] - (0.5f * targets[i])) <= 1e-6, $"sample {i}: the second prompt's target is not half the first's");
        }
    }

    [Fact]
    public void The_zero_padding_of_a_last_window_does_not_hide_the_bed()
    {
        int valid = 4 * Rate;
        var window = new float[Window];
        Bed(valid, seed: 5, level: 0.01f).CopyTo(window, 0);
        var targets = (float[])window.Clone();
        var residuals = new float[Window];

        using var suppressor = new BackgroundSuppressor(Rate, Window);
        suppressor.Apply(window, valid, targets, residuals, prompts: 1);

        double before = Energy(window, Rate, 3 * Rate), after = Energy(targets, Rate, 3 * Rate);
        Assert.True(Db(after / before) <= -12, $"the bed fell by {Db(after / before):F1} dB only");
    }

    [Fact]
    public void A_window_gives_the_same_bytes_whatever_came_before_it()
    {
        var first = Bed(Window, seed: 6, level: 0.3f);
        var second = Bed(Window, seed: 7, level: 0.01f);
        using var reused = new BackgroundSuppressor(Rate, Window);
        var scratchTargets = (float[])first.Clone();
        reused.Apply(first, Window, scratchTargets, new float[Window], prompts: 1);

        var targetsReused = (float[])second.Clone();
        var targetsFresh = (float[])second.Clone();
        reused.Apply(second, Window, targetsReused, new float[Window], prompts: 1);
        using var suppressor = new BackgroundSuppressor(Rate, Window);
        suppressor.Apply(second, Window, targetsFresh, new float[Window], prompts: 1);

        Assert.Equal(targetsFresh, targetsReused);
    }

    [Fact]
    public void A_window_of_another_length_is_refused()
    {
        using var suppressor = new BackgroundSuppressor(Rate, Window);
        var ex = Assert.Throws<ArgumentException>(() => suppressor.Apply(new float[Window - 1], Window - 1, new float[Window], new float[Window], 1));
        Assert.Contains("sized for 160000", ex.Message);
    }

    [Theory]
    [InlineData(16000, 512)]
    [InlineData(8000, 256)]
    [InlineData(48000, 2048)]
    public void Frames_are_the_power_of_two_at_or_above_30_ms(int rate, int size) => Assert.Equal(size, BackgroundSuppressor.SizeFor(rate));

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 1)]
    [InlineData(1247, 249)]
    [InlineData(1000, 0)]
    [InlineData(1000, 999)]
    public void Selection_finds_the_value_a_sort_puts_at_the_rank(int length, int rank)
    {
        var random = new Random(length + rank);
        var values = Enumerable.Range(0, length).Select(_ => (float)Math.Round(random.NextDouble() * 50)).ToArray(); // ties included
        var sorted = values.Order().ToArray();

        Assert.Equal(sorted[rank], BackgroundSuppressor.Select(values, rank));
    }

    /// <summary>Gaussian noise (Box-Muller), standard deviation <paramref name="level"/>: the floor's scaling to a mean is exact for it.</summary>
    internal static float[] Bed(int samples, int seed, float level)
    {
        var random = new Random(seed);
        var bed = new float[samples];
        for (int i = 0; i < samples; i++)
        {
            double u = 1 - random.NextDouble(), v = random.NextDouble();
            bed[i] = level * (float)(Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v));
        }

        return bed;
    }

    internal static double Energy(float[] x, int from, int to)
    {
        double sum = 0;
        for (int i = from; i < to; i++)
        {
            sum += (double)x[i] * x[i];
        }

        return sum;
    }

    internal static double Db(double ratio) => 10 * Math.Log10(ratio);
}
