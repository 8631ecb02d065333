namespace SamAudio.Reports.Spectrograms;

/// <summary>
/// Power in dBFS (a full-scale sine reads 0 dB in its row) on a grid of <see cref="Columns"/> time columns by
/// <see cref="Rows"/> frequency rows, column-major: <c>Db[column * Rows + row]</c>, row 0 = 0 Hz. Each cell is the
/// largest power of the STFT frames and bins it covers, so a short call stays visible however long the recording.
/// </summary>
/// <remarks>
/// The rows span 0 Hz to half of <c>SampleRate</c>; <c>StartSeconds</c> is the recording time of the first sample
/// (the item's start); <c>FftSize</c> and <c>Hop</c> are the STFT's; <c>FramesPerColumn</c> STFT frames are pooled
/// into one column (the last column may hold fewer).
/// </remarks>
internal sealed record Spectrogram(
    int Columns,
    int Rows,
    float[] Db,
    int SampleRate,
    double StartSeconds,
    double DurationSeconds,
    int FftSize,
    int Hop,
    double FramesPerColumn)
{
    /// <summary>The loudest cell, in dBFS; <see cref="float.NegativeInfinity"/> for silence.</summary>
    public float MaxDb => Db.Length == 0 ? float.NegativeInfinity : System.Numerics.Tensors.TensorPrimitives.Max(Db);

    public double NyquistHz => SampleRate / 2.0;
}
