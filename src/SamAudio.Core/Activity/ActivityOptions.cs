namespace SamAudio.Core.Activity;

/// <summary>How activity regions are derived from an isolated target.</summary>
public sealed record ActivityOptions
{
    /// <summary>Analysis frame length in seconds.</summary>
    public double FrameSeconds { get; init; } = 0.1;

    /// <summary>A frame is active only when the target's RMS level is above this, in dBFS.</summary>
    public double MinLevelDb { get; init; } = -60;

    /// <summary>A frame is active only when the target holds at least this share of the mixture's energy.</summary>
    public double MinEnergyShare { get; init; } = 0.25;

    /// <summary>Inactive gaps up to this long inside a region are bridged.</summary>
    public double MaxGapSeconds { get; init; } = 0.3;

    /// <summary>Regions shorter than this are dropped.</summary>
    public double MinRegionSeconds { get; init; } = 0.2;

    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(FrameSeconds, 0, nameof(FrameSeconds));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxGapSeconds, nameof(MaxGapSeconds));
        ArgumentOutOfRangeException.ThrowIfNegative(MinRegionSeconds, nameof(MinRegionSeconds));
        ArgumentOutOfRangeException.ThrowIfNegative(MinEnergyShare, nameof(MinEnergyShare));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MinEnergyShare, 1, nameof(MinEnergyShare));
    }
}
