using System.Globalization;
using NAudio.Wave;
using SamAudio.Core.Audio;

namespace SamAudio.Core.Pipeline;

/// <summary>
/// The stage right after decoding: finds samples that are NaN or infinite, which would poison every window of
/// the model and every output they touch. By default it fails the item with the file, the time and the channel of
/// the first one (an <see cref="InvalidDataException"/>, thrown before any output is finished, so nothing becomes
/// visible); with <see cref="NonFiniteSamples.Zero"/> it replaces them with 0 and counts those in the frames the
/// run owns (<paramref name="countFrom"/> to <paramref name="countTo"/>, absolute), so a shard's context is not
/// counted twice. Checks in place, allocates nothing.
/// </summary>
internal sealed class NonFiniteInputCheck(ISampleProvider source, string name, NonFiniteSamples policy, long firstFrame, long countFrom = 0, long countTo = long.MaxValue)
    : ISampleProvider
{
    private readonly int _channels = source.WaveFormat.Channels;
    private long _frame = firstFrame;

    public WaveFormat WaveFormat => source.WaveFormat;

    /// <summary>Samples replaced with 0 within the counted frames.</summary>
    public long Replaced { get; private set; }

    /// <summary>The first replaced sample within the counted frames: absolute frame, channel (from 0) and what it was.</summary>
    public (long Frame, int Channel, float Value)? First { get; private set; }

    public int Read(Span<float> buffer)
    {
        int n = source.Read(buffer);
        var samples = buffer[..n];
        for (int i = 0; i < samples.Length; i++)
        {
            if (float.IsFinite(samples[i]))
            {
                continue;
            }

            long frame = _frame + (i / _channels);
            int channel = i % _channels;
            if (policy == NonFiniteSamples.Fail)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"'{name}' holds a non-finite sample ({Kind(samples[i])}) at {Time(frame)} (channel {channel + 1}). Repair the file, or set \"nonFinite\": \"zero\" on the item to replace such samples with silence (not allowed for \"purpose\": \"forensic\")."));
            }

            if (frame >= countFrom && frame < countTo)
            {
                Replaced++;
                First ??= (frame, channel, samples[i]);
            }

            samples[i] = 0f;
        }

        _frame += n / _channels;
        return n;
    }

    /// <summary>The run.json warning for the replaced samples, or null when none were replaced.</summary>
    public string? Warning() => First is not { } first ? null : string.Create(CultureInfo.InvariantCulture,
        $"'{name}': replaced {Replaced} non-finite sample(s) with silence (\"nonFinite\": \"zero\"); the first was {Kind(first.Value)} at {Time(first.Frame)} (channel {first.Channel + 1})");

    internal static string Kind(float value) => float.IsNaN(value) ? "NaN" : value > 0 ? "+Inf" : "-Inf";

    private string Time(long frame) => FormatTime(frame / (double)source.WaveFormat.SampleRate);

    internal static string FormatTime(double seconds) =>
        TimeSpan.FromSeconds(seconds).ToString(@"hh\:mm\:ss\.fff", CultureInfo.InvariantCulture);
}
