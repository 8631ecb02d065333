using System.Globalization;

namespace SamAudio.Core.Audio;

/// <summary>
/// Which channel of a multichannel recording feeds the separator: <see cref="Mix"/> (the average of all
/// channels) or one zero-based channel index. Written as <c>"mix"</c> or a non-negative integer
/// (<c>"0"</c>, <c>"3"</c>); <see cref="ToString"/> and <see cref="Parse"/> round-trip.
/// <c>default(ChannelSelection)</c> is channel 0; say <see cref="Mix"/> explicitly where mixing is the default.
/// </summary>
public readonly record struct ChannelSelection
{
    private const string MixText = "mix";

    // -1 encodes Mix so that default(ChannelSelection) is index 0; Mix is the explicit static value.
    private readonly int value;

    private ChannelSelection(int value) => this.value = value;

    /// <summary>The average of all channels.</summary>
    public static ChannelSelection Mix { get; } = new(-1);

    /// <summary>True when every channel is averaged.</summary>
    public bool IsMix => value < 0;

    /// <summary>The zero-based channel index; -1 for <see cref="Mix"/>.</summary>
    public int ChannelIndex => value;

    /// <summary>One channel, by zero-based index.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="index"/> is negative.</exception>
    public static ChannelSelection Index(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return new ChannelSelection(index);
    }

    /// <summary>Parses <c>"mix"</c> (any case, surrounding spaces ignored) or a non-negative integer.</summary>
    /// <exception cref="FormatException">When <paramref name="text"/> is neither.</exception>
    public static ChannelSelection Parse(string text) =>
        TryParse(text, out var selection)
            ? selection
            : throw new FormatException($"Channel must be \"mix\" or a non-negative integer, got \"{text}\".");

    /// <summary>Parses like <see cref="Parse"/>; returns false instead of throwing.</summary>
    public static bool TryParse(string? text, out ChannelSelection selection)
    {
        selection = default;
        if (text is null) return false;
        var trimmed = text.Trim();
        if (string.Equals(trimmed, MixText, StringComparison.OrdinalIgnoreCase))
        {
            selection = Mix;
            return true;
        }

        if (trimmed.Length > 0 && trimmed.All(char.IsAsciiDigit)
            && int.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            selection = new ChannelSelection(index);
            return true;
        }

        return false;
    }

    /// <summary><c>"mix"</c> or the index in invariant digits.</summary>
    public override string ToString() => IsMix ? MixText : value.ToString(CultureInfo.InvariantCulture);
}
