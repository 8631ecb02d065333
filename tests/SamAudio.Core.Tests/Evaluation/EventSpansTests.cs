using SamAudio.Core.Evaluation;

namespace SamAudio.Core.Tests.Evaluation;

public sealed class EventSpansTests
{
    private const int Rate = 1000;

    private static SoundEvent Event(double start, double end, string cls = "owl") => new(cls, start, end, 0, false, "scratch", true);

    private static float[] Sine(double hz, double amplitude, int n) => Enumerable.Range(0, n).Select(i => (float)(amplitude * Math.Sin(2 * Math.PI * hz * i / Rate))).ToArray();

    [Fact]
    public void Perfect_separation_gains_the_reference_s_SI_SDR_over_the_mixture_on_the_span()
    {
        // Reference: a 50 Hz tone in [1 s, 2 s); mixture adds a 120 Hz interferer at a tenth of the amplitude (20 dB).
        var reference = new float[3 * Rate];
        Sine(50, 1, Rate).CopyTo(reference, Rate);
        var noise = Sine(120, 0.1, 3 * Rate);
        var mixture = reference.Select((x, i) => x + noise[i]).ToArray();
        var span = Event(1, 2);

        double perfect = EventSpans.SiSdrImprovement(reference, mixture, reference, span, Rate);
        double none = EventSpans.SiSdrImprovement(mixture, mixture, reference, span, Rate);
        double expected = SeparationMetrics.SiSdr(reference.AsSpan(Rate, Rate), reference.AsSpan(Rate, Rate)) - 20;

        Assert.Equal(expected, perfect, 1);
        Assert.Equal(0, none, 9);
    }

    [Fact]
    public void Only_the_event_s_span_is_scored()
    {
        var reference = new float[3 * Rate];
        Sine(50, 1, Rate).CopyTo(reference, Rate);
        var noise = Sine(120, 0.1, 3 * Rate);
        var mixture = reference.Select((x, i) => x + noise[i]).ToArray();
        var estimate = (float[])reference.Clone();
        var garbage = Sine(333, 5, 3 * Rate);
        for (int i = 0; i < Rate; i++)
        {
            estimate[i] = garbage[i]; // before the span
            estimate[(2 * Rate) + i] = garbage[i]; // after it
        }

        Assert.Equal(
            EventSpans.SiSdrImprovement(reference, mixture, reference, Event(1, 2), Rate),
            EventSpans.SiSdrImprovement(estimate, mixture, reference, Event(1, 2), Rate), 9);
    }

    [Fact]
    public void Match_counts_events_found_and_regions_that_overlap_no_event()
    {
        var events = new[] { Event(1, 2), Event(5, 6), Event(10, 12) };
        var regions = new List<(double, double)> { (1.5, 3), (4, 4.5), (11, 11.5), (11.8, 13) };

        var match = EventSpans.Match(events, regions);

        Assert.Equal(new EventMatch(3, 2, 4, 1), match);
        Assert.Equal(2 / 3.0, match.Recall!.Value, 9);
        Assert.Equal(0.75, match.Precision!.Value, 9);
        Assert.Equal(2 * (2 / 3.0) * 0.75 / ((2 / 3.0) + 0.75), match.F1!.Value, 9);
        Assert.Equal(2.0, match.FalsePerHour(1800), 9);
    }

    [Fact]
    public void With_a_region_cover_a_long_region_over_short_events_is_one_false_detection()
    {
        var events = new[] { Event(10, 11), Event(50, 51), Event(90, 91) };
        var regions = new List<(double, double)> { (0, 100), (120, 121), (130, 131) };
        events = [.. events, Event(120.2, 121)];

        var lenient = EventSpans.Match(events, regions);
        var covered = EventSpans.Match(events, regions, minRegionCover: 0.5);

        // Without a cover the 100 s region finds all three events under it; with one it is false and finds none, while
        // the 1 s region 80 % covered by its event still counts.
        Assert.Equal(new EventMatch(4, 4, 3, 1), lenient);
        Assert.Equal(new EventMatch(4, 1, 3, 2), covered);
    }

    [Fact]
    public void Touching_intervals_do_not_overlap_and_without_events_every_region_is_false()
    {
        var touching = EventSpans.Match([Event(1, 2)], [(2, 3), (0, 1)]);
        var absent = EventSpans.Match([], [(2, 3), (7, 8)]);

        Assert.Equal(0, touching.Found);
        Assert.Equal(2, touching.FalseRegions);
        Assert.Equal(2, absent.FalseRegions);
        Assert.Null(absent.Recall);
        Assert.Equal(0, absent.Precision);
        Assert.Equal(7200, absent.FalsePerHour(1), 9);
    }

    [Fact]
    public void A_prompt_with_events_and_no_region_scores_F1_zero_so_means_over_prompts_keep_it()
    {
        var nothingFound = EventSpans.Match([Event(1, 2), Event(5, 6)], []);
        var noEvents = EventSpans.Match([], []);

        Assert.Equal(0, nothingFound.Recall);
        Assert.Null(nothingFound.Precision);
        Assert.Equal(0, nothingFound.F1);
        Assert.Null(noEvents.F1);
    }

    [Fact]
    public void Events_csv_is_read_with_kinds_and_whole_package_flags()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "class,start,end,snr,kind,package,file,straddles,heldout\nowl,1.000,1.720,3.5,event,scratch,/x/Owl.wav,0,package\ncat,4,5,2,distractor,scratch,/x/Meow.wav,1,package\ndoor,7,8,-1,event,gcompris-qt-data,/x.rcc::door.wav,0,file\n");

            var events = SoundEvent.ReadCsv(path);

            Assert.Equal(3, events.Count);
            Assert.Equal(new SoundEvent("owl", 1, 1.72, 3.5, false, "scratch", true), events[0]);
            Assert.True(events[1].IsDistractor);
            Assert.False(events[2].WholePackage);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Soundscape_item_needs_no_reference_and_keeps_its_events_path()
    {
        string folder = Directory.CreateTempSubdirectory("samaudio-evalset-").FullName;
        try
        {
            string file = Path.Combine(folder, "s.json");
            File.WriteAllText(file, """{"items":[{"mixture":"mix.wav","prompt":"a siren","class":"siren","events":"events.csv"},{"mixture":"mix.wav","prompt":"a cow mooing"}]}""");

            var ex = Assert.Throws<InvalidDataException>(() => EvalSet.Read(file));
            Assert.Contains("$.items[1].reference", ex.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("$.items[0]", ex.Message, StringComparison.Ordinal);

            File.WriteAllText(file, """{"items":[{"mixture":"mix.wav","prompt":"a siren","class":"siren","events":"events.csv"}]}""");
            var item = Assert.Single(EvalSet.Read(file).Items);
            Assert.Null(item.Reference);
            Assert.Equal(Path.Combine(folder, "events.csv"), item.Events);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
