namespace SamAudio.Reports.Spectrograms;

/// <summary>How a spectrogram is computed and drawn.</summary>
public sealed record SpectrogramOptions
{
    /// <summary>At most this many time columns, whatever the length: frames are max-pooled into columns.</summary>
    public int MaxColumns { get; init; } = 2000;

    /// <summary>Frequency rows of the picture (bins are max-pooled into rows when there are more).</summary>
    public int Rows { get; init; } = 256;

    /// <summary>Dynamic range of the colour scale below the loudest column of an item, in dB.</summary>
    public double RangeDb { get; init; } = 90;

    /// <summary>Samples read per block.</summary>
    public int BlockFrames { get; init; } = 1 << 15;

    /// <summary>A long signal's columns are analysed in this many runs side by side (by default one per processor).</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for values no picture can be made of.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxColumns, 16, nameof(MaxColumns));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxColumns, 8000, nameof(MaxColumns));
        ArgumentOutOfRangeException.ThrowIfLessThan(Rows, 16, nameof(Rows));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Rows, 2048, nameof(Rows));
        ArgumentOutOfRangeException.ThrowIfLessThan(RangeDb, 10, nameof(RangeDb));
        ArgumentOutOfRangeException.ThrowIfLessThan(BlockFrames, 1024, nameof(BlockFrames));
        ArgumentOutOfRangeException.ThrowIfLessThan(Parallelism, 1, nameof(Parallelism));
    }
}
