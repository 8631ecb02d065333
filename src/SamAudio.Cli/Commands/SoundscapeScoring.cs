using System.Globalization;
using SamAudio.Core.Activity;
using SamAudio.Core.Evaluation;
using SamAudio.Inference.Dsp;

namespace SamAudio.Cli.Commands;

/// <summary>
/// Scores one soundscape item of <c>samaudio eval</c> (an item with an <c>events</c> file): per event of the item's
/// class, the SI-SDR improvement over the event's span of the model's target and of the spectral-subtraction baseline
/// (<see cref="SpectralSubtraction"/>, class-agnostic, computed once per mixture in the same run); event recall and
/// precision of the prompt's activity table (<see cref="EventSpans.Match"/>); for a class with no event (an absent
/// sound), the target's energy relative to the mixture and the false regions per hour. It keeps the item's activity
/// frames (target against mixture, 0.1 s, at the target's rate) so <c>--tune-activity</c> can re-detect without separating again.
/// </summary>
internal sealed class SoundscapeScoring
{
    private readonly Dictionary<string, (float[] Mixture, float[] Baseline)> _mixtures = new(StringComparer.Ordinal);
    private readonly Func<string, float[]> _read;

    public SoundscapeScoring(Func<string, float[]> read) => _read = read;

    public SoundscapeScore Score(EvalItem item, float[] target, IReadOnlyList<(double Start, double End)> regions, int sampleRate)
    {
        var events = SoundEvent.ReadCsv(item.Events!).Where(e => !e.IsDistractor && e.Class == item.Class).ToList();
        var (mixture, baseline) = Mixture(item.Mixture, sampleRate);
        double seconds = mixture.Length / (double)sampleRate;
        var match = EventSpans.Match(events, regions);
        int n = Math.Min(target.Length, mixture.Length);
        var frames = new ActivityFrames(sampleRate, expectedSamples: n);
        frames.Add(mixture.AsSpan(0, n), target.AsSpan(0, n));
        var tuning = new TuningItem(frames.Complete(), sampleRate, events, seconds);
        if (events.Count == 0)
        {
            return new SoundscapeScore([], match, seconds, SeparationMetrics.RelativeEnergyDb(target, mixture), tuning);
        }

        var reference = _read(item.Reference ?? throw new InvalidDataException($"item {item.Index}: class '{item.Class}' has events, so it needs a reference."));
        var scores = events.Select(e => new EventScore(e,
            EventSpans.SiSdrImprovement(target, mixture, reference, e, sampleRate),
            EventSpans.SiSdrImprovement(baseline, mixture, reference, e, sampleRate))).ToList();
        return new SoundscapeScore(scores, match, seconds, null, tuning);
    }

    private (float[] Mixture, float[] Baseline) Mixture(string path, int sampleRate)
    {
        if (!_mixtures.TryGetValue(path, out var pair))
        {
            var mixture = _read(path);
            pair = (mixture, SpectralSubtraction.Denoise(mixture, sampleRate));
            _mixtures[path] = pair;
        }

        return pair;
    }

    /// <summary>Regions of an activity CSV (<c>start,end,...</c> with a header).</summary>
    public static IReadOnlyList<(double Start, double End)> ReadRegions(string path) =>
        File.ReadAllLines(path).Skip(1).Where(l => l.Length > 0).Select(l => l.Split(','))
            .Select(f => (double.Parse(f[0], CultureInfo.InvariantCulture), double.Parse(f[1], CultureInfo.InvariantCulture))).ToList();
}

/// <summary>One event's SI-SDR improvement over its span: the model's and the baseline's.</summary>
internal sealed record EventScore(SoundEvent Event, double Model, double Baseline);

/// <summary>
/// A soundscape prompt's scores: per-event improvements (empty for an absent sound), the activity match, the
/// recording's length, for an absent sound, the target's energy relative to the mixture, and what activity tuning needs.
/// </summary>
internal sealed record SoundscapeScore(IReadOnlyList<EventScore> Events, EventMatch Match, double Seconds, double? AbsentEnergyDb, TuningItem Activity)
{
    public double? MeanModel => Events.Count > 0 ? Events.Average(e => e.Model) : null;

    public double? MeanBaseline => Events.Count > 0 ? Events.Average(e => e.Baseline) : null;

    public double FalsePerHour => Match.FalsePerHour(Seconds);
}
