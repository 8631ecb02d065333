using SamAudio.Core.Activity;

namespace SamAudio.Core.Tests.Activity;

public sealed class ActivityDetectorTests
{
    private const int Rate = 1000;

    [Fact]
    public void A_burst_of_target_in_silence_gives_one_region_with_its_times_and_level()
    {
        // 2 s of silence, 1 s of a 0.1-amplitude square wave (-20 dBFS), 2 s of silence, fed in odd chunks.
        var target = new float[5 * Rate];
        for (int i = 2 * Rate; i < 3 * Rate; i++)
        {
            target[i] = i % 2 == 0 ? 0.1f : -0.1f;
        }

        var detector = new ActivityDetector(Rate, timelineOffsetSeconds: 600);
        for (int i = 0; i < target.Length; i += 333)
        {
            int n = Math.Min(333, target.Length - i);
            detector.Add(target.AsSpan(i, n), target.AsSpan(i, n));
        }

        var region = Assert.Single(detector.Complete());
        Assert.Equal(602.0, region.StartSeconds, 3);
        Assert.Equal(603.0, region.EndSeconds, 3);
        Assert.Equal(-20.0, region.LevelDb, 1);
        Assert.Equal(1.0, region.Confidence, 3);
    }

    [Fact]
    public void A_target_holding_little_of_the_mixture_is_not_active()
    {
        var mixture = Enumerable.Repeat(0.5f, 3 * Rate).ToArray();
        var target = Enumerable.Repeat(0.05f, 3 * Rate).ToArray(); // 1 % of the energy

        var detector = new ActivityDetector(Rate, 0);
        detector.Add(mixture, target);

        Assert.Empty(detector.Complete());
    }

    [Fact]
    public void Short_gaps_are_bridged_and_long_gaps_split_regions()
    {
        var target = new float[4 * Rate];
        Fill(target, 0.0, 1.0);
        Fill(target, 1.2, 2.0);   // 0.2 s gap: bridged
        Fill(target, 3.0, 4.0);   // 1 s gap: new region

        var detector = new ActivityDetector(Rate, 0);
        detector.Add(target, target);
        var regions = detector.Complete();

        Assert.Equal(2, regions.Count);
        Assert.Equal((0.0, 2.0), (regions[0].StartSeconds, regions[0].EndSeconds));
        Assert.Equal((3.0, 4.0), (regions[1].StartSeconds, regions[1].EndSeconds));
    }

    [Fact]
    public void A_seed_share_keeps_a_short_loud_call_and_drops_a_long_faint_leak()
    {
        // Mixture at amplitude 1 throughout; the target holds 0.81 of it for 0.2 s (a call) and 0.36 for 3 s (a leak).
        var mixture = Enumerable.Repeat(1f, 8 * Rate).ToArray();
        var target = new float[8 * Rate];
        for (int i = Rate; i < Rate + (Rate / 5); i++)
        {
            target[i] = 0.9f;
        }

        for (int i = 3 * Rate; i < 6 * Rate; i++)
        {
            target[i] = 0.6f;
        }

        var options = new ActivityOptions { MinEnergyShare = 0.25, MaxGapSeconds = 0.3, MinRegionSeconds = 0.1 };
        var plain = new ActivityDetector(Rate, 0, options);
        plain.Add(mixture, target);
        var seeded = new ActivityDetector(Rate, 0, options with { SeedEnergyShare = 0.5 });
        seeded.Add(mixture, target);

        Assert.Equal([(1.0, 1.2), (3.0, 6.0)], plain.Complete().Select(r => (Math.Round(r.StartSeconds, 3), Math.Round(r.EndSeconds, 3))));
        var call = Assert.Single(seeded.Complete());
        Assert.Equal((1.0, 1.2), (Math.Round(call.StartSeconds, 3), Math.Round(call.EndSeconds, 3)));
    }

    [Fact]
    public void A_seed_share_below_the_energy_share_is_refused()
    {
        var options = new ActivityOptions { MinEnergyShare = 0.3, SeedEnergyShare = 0.2 };

        var error = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
        Assert.Equal("SeedEnergyShare", error.ParamName);
    }

    [Fact]
    public void With_a_calibration_the_confidence_is_the_probability_at_the_region_s_score()
    {
        // The target holds 0.36 of the mixture's energy (amplitude 0.6 of 1) for 1 s.
        var mixture = Enumerable.Repeat(1f, 3 * Rate).ToArray();
        var target = new float[3 * Rate];
        for (int i = Rate; i < 2 * Rate; i++)
        {
            target[i] = 0.6f;
        }

        var plain = new ActivityDetector(Rate, 0);
        plain.Add(mixture, target);
        var calibrated = new ActivityDetector(Rate, 0, new ActivityOptions { Confidence = new ActivityConfidence("test", [new(0.2, 0.1), new(0.6, 0.9)]) });
        calibrated.Add(mixture, target);

        Assert.Equal(0.36, Assert.Single(plain.Complete()).Confidence, 3);
        Assert.Equal(0.1 + (0.8 * 0.16 / 0.4), Assert.Single(calibrated.Complete()).Confidence, 3);
    }

    [Fact]
    public void Tables_use_invariant_numbers_and_order_selections_by_time()
    {
        var a = new ActivityRegion(5, 6.5, -12.345, 0.9);
        var b = new ActivityRegion(1, 2, -30, 0.5);

        Assert.Equal("start,end,level_db,confidence\n5.000,6.500,-12.35,0.900\n", ActivityTables.ToCsv([a]));
        var raven = ActivityTables.ToRavenSelectionTable([("owl hooting", a), ("rain", b)], 8000).Split('\n');
        Assert.StartsWith("Selection\tView\tChannel\tBegin Time (s)", raven[0]);
        Assert.Equal("1\tSpectrogram 1\t1\t1.000\t2.000\t0.0\t8000.0\train\t-30.00\t0.500", raven[1]);
        Assert.StartsWith("2\tSpectrogram 1\t1\t5.000\t6.500", raven[2]);
    }

    private static void Fill(float[] x, double from, double to)
    {
        for (int i = (int)(from * Rate); i < (int)(to * Rate); i++)
        {
            x[i] = 0.2f;
        }
    }
}
