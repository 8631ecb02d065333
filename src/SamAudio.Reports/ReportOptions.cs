using SamAudio.Reports.Spectrograms;

namespace SamAudio.Reports;

/// <summary>What a report shows and where it finds the recordings.</summary>
public sealed record ReportOptions
{
    public SpectrogramOptions Spectrogram { get; init; } = new();

    /// <summary>
    /// The folder the recordings' names in <c>run.json</c> are relative to (the manifest's folder, or the folder of the
    /// file given to <c>separate</c>). The mixture is read from there when the file's SHA-256 is the recorded one;
    /// otherwise the report shows target + residual in its place, or no mixture, and says so.
    /// </summary>
    public string? RecordingsFolder { get; init; }

    /// <summary>
    /// Where outputs and recordings are read when they are not files (the worker: blobs by ranged reads). With it, an
    /// item's audio outputs come from <see cref="IReportAudio.OpenOutputAsync"/> and its mixture from
    /// <see cref="IReportAudio.OpenRecordingAsync"/>; <see cref="RecordingsFolder"/> is not used.
    /// </summary>
    public IReportAudio? Audio { get; init; }

    /// <summary>Audio excerpts per prompt, around its strongest activity regions.</summary>
    public int ExcerptsPerPrompt { get; init; } = 3;

    /// <summary>Longest excerpt, in seconds.</summary>
    public double MaxExcerptSeconds { get; init; } = 30;

    /// <summary>Activity rows shown per prompt; the CSV, linked, holds them all.</summary>
    public int MaxActivityRows { get; init; } = 200;

    public void Validate()
    {
        Spectrogram.Validate();
        ArgumentOutOfRangeException.ThrowIfNegative(ExcerptsPerPrompt, nameof(ExcerptsPerPrompt));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxExcerptSeconds, 1, nameof(MaxExcerptSeconds));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxExcerptSeconds, 30, nameof(MaxExcerptSeconds));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxActivityRows, nameof(MaxActivityRows));
    }
}

/// <summary>How far a report has got: which item, which file, and the share of that file done.</summary>
public readonly record struct ReportProgress(string ItemId, string Step, double Fraction);
