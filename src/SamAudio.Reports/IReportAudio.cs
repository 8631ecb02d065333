using SamAudio.Core.Provenance;

namespace SamAudio.Reports;

/// <summary>
/// Where a report reads audio that is not a file beside it: the worker's outputs and recordings in Blob Storage, read
/// by ranged reads. Each call opens a new seekable stream that the caller then owns; a report opens one per picture
/// and per excerpt and never holds more than a reader's block of any of them.
/// </summary>
public interface IReportAudio
{
    /// <summary>An output file of an item, <paramref name="path"/> relative to the report's folder; null when there is none.</summary>
    Task<Stream?> OpenOutputAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>
    /// The recording item <paramref name="itemId"/> was separated from, only when its content is the one
    /// <paramref name="input"/> records (<see cref="InputRecord.Sha256"/>); null when it cannot be had as that content.
    /// </summary>
    Task<Stream?> OpenRecordingAsync(string itemId, InputRecord input, CancellationToken cancellationToken = default);
}
