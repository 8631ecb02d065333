using SamAudio.Core.Audio;
using SamAudio.Storage.Jobs;
using SamAudio.Storage.WorkItems;

namespace SamAudio.Worker.Processing;

/// <summary>
/// Everything the worker's core needs from storage, so that turning a work item into outputs is tested without
/// it and the adapter (<c>BlobWorkerStore</c>) is tested on Azurite. Names are blob names in the jobs container.
/// </summary>
internal interface IWorkerStore
{
    /// <summary>
    /// Opens the recording exactly at <paramref name="recording"/>'s ETag: a WAV is read by ranged reads of what the
    /// reader asks for (header, then the shard's frames); another format goes through a temporary file.
    /// </summary>
    /// <exception cref="RecordingUnavailableException">The blob is gone or no longer has that ETag.</exception>
    Task<OpenedRecording> OpenRecordingAsync(BlobVersion recording, CancellationToken cancellationToken = default);

    /// <summary>
    /// A seekable stream over the recording exactly at <paramref name="recording"/>'s ETag, read by ranged reads, when it
    /// is a WAV or FLAC (entered anywhere without reading what comes before); null for another format.
    /// </summary>
    /// <exception cref="RecordingUnavailableException">The blob is gone or no longer has that ETag.</exception>
    Task<Stream?> OpenRecordingStreamAsync(BlobVersion recording, CancellationToken cancellationToken = default);

    /// <summary>A seekable stream over a blob of the jobs container, read by ranged reads; null when it does not exist.</summary>
    Task<Stream?> OpenReadAsync(string blobName, CancellationToken cancellationToken = default);

    /// <summary>Uploads <paramref name="localFile"/> as a blob, streamed, with its <c>sha256</c> metadata; returns hash and size.</summary>
    Task<(string Sha256, long Size)> UploadFileAsync(string blobName, string localFile, CancellationToken cancellationToken = default);

    /// <summary>SHA-256 (lower-case hex) and size of a blob (recording, manifest) at its ETag, read once in full.</summary>
    Task<(string Sha256, long Size)> HashAsync(BlobVersion blob, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stages <paramref name="localFile"/> as uncommitted blocks of <paramref name="blobName"/> with ids derived from
    /// <paramref name="shardIndex"/> and the block's position (the same ids every time); returns them in order with
    /// each block's size and the SHA-256 of the file, for the shard's record.
    /// </summary>
    Task<StagedBlocks> StagePieceAsync(string blobName, int shardIndex, string localFile, CancellationToken cancellationToken = default);

    /// <summary>Every block <paramref name="blobName"/> has, committed or staged, by id with its size; empty when there is none.</summary>
    Task<IReadOnlyDictionary<string, long>> GetBlocksAsync(string blobName, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stages <paramref name="header"/> and commits header + every part's blocks, in order, as the blob's content, after
    /// checking that every block is still there with the size its record gives; reads the committed blob back to
    /// compute its SHA-256 and size, stores the hash as the blob's <c>sha256</c> metadata, and checks each part's bytes
    /// against the SHA-256 its record names.
    /// </summary>
    /// <exception cref="InvalidDataException">A block is gone, or committed bytes differ from a shard's record.</exception>
    Task<(string Sha256, long Size)> CommitAsync(string blobName, byte[] header, IReadOnlyList<CommitPart> parts, CancellationToken cancellationToken = default);

    /// <summary>Writes a small text blob (tables, records) with its <c>sha256</c> metadata; returns hash and size.</summary>
    Task<(string Sha256, long Size)> WriteTextAsync(string blobName, string text, CancellationToken cancellationToken = default);

    /// <summary>Reads a small text blob, or null when it does not exist.</summary>
    Task<string?> ReadTextAsync(string blobName, CancellationToken cancellationToken = default);

    /// <summary>True when the blob exists.</summary>
    Task<bool> ExistsAsync(string blobName, CancellationToken cancellationToken = default);

    /// <summary>The ids of the job's items whose <c>run.json</c> exists (complete items), from one listing.</summary>
    Task<IReadOnlySet<string>> ListItemsWithRunRecordAsync(string jobId, CancellationToken cancellationToken = default);

    /// <summary>The job's plan as ingestion recorded it (every work item), or null when there is none.</summary>
    Task<Storage.Jobs.JobRecord?> GetPlanAsync(string jobId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes the lock named <paramref name="blobName"/> (created when missing), or returns null at once when another
    /// worker holds it. A lock whose holder stops renewing it lapses within <see cref="LockLapse"/>.
    /// </summary>
    Task<IHeldLock?> TryLockAsync(string blobName, CancellationToken cancellationToken = default);

    /// <summary>How long a lock outlives a holder that died: whoever found it held waits at least this long before asking again.</summary>
    TimeSpan LockLapse { get; }

    /// <summary>The shard markers of the job.</summary>
    IShardMarkers Markers { get; }
}

/// <summary>An open recording and how many bytes were read from storage for it so far.</summary>
internal sealed class OpenedRecording(IAudioReader reader, Func<long> bytesRead, IDisposable? lifetime = null) : IDisposable
{
    public IAudioReader Reader { get; } = reader;

    public long BytesRead => bytesRead();

    public void Dispose()
    {
        Reader.Dispose();
        lifetime?.Dispose();
    }
}

/// <summary>The recording a work item names is gone or has changed since ingestion: the item cannot succeed.</summary>
internal sealed class RecordingUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
