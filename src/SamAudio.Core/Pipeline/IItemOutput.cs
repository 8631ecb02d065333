namespace SamAudio.Core.Pipeline;

/// <summary>
/// One audio output of an item, fed with model-rate samples in timeline order. Nothing is visible under the
/// final name until <see cref="CompleteAsync"/>; disposing without completing removes the partial file.
/// </summary>
internal interface IItemOutput : IDisposable
{
    /// <summary>Takes the next model-rate samples; the span is only read during the call.</summary>
    void Write(ReadOnlySpan<float> samples);

    /// <summary>Finishes the file and renames it into place; returns what was written.</summary>
    Task<WrittenAudio> CompleteAsync(CancellationToken cancellationToken = default);
}

/// <summary>What an output holds once complete, and its SHA-256 where it was hashed as it was written.</summary>
internal readonly record struct WrittenAudio(long Frames, long ClippedSamples, int SampleRate, string? Sha256);
