using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using SamAudio.Core.Audio;
using SamAudio.Storage.Jobs;
using SamAudio.Storage.WorkItems;
using SamAudio.Worker.Processing;

namespace SamAudio.Worker.BlobStorage;

/// <summary>
/// <see cref="IWorkerStore"/> on Azure Blob Storage. Recordings are read at the ETag the work item names
/// (If-Match, and a read stream that refuses a changed blob); outputs are staged as blocks with deterministic ids
/// and committed as one block list per file (a block blob holds at most 50,000 blocks, all ids of one length).
/// </summary>
internal sealed class BlobWorkerStore : IWorkerStore
{
    /// <summary>Bytes per staged block and per ranged read of a recording.</summary>
    internal const int BlockBytes = 8 << 20;

    /// <summary>Bytes per ranged read of a stream a report reads (one per picture or excerpt being made).</summary>
    private const int ReadBytes = 1 << 20;
    private const int MaxBlocks = 50_000;
    private const string HeaderBlock = "header00000000";
    private readonly BlobServiceClient _blobs;
    private readonly BlobContainerClient _jobs;
    private readonly string _temporaryFolder;

    public BlobWorkerStore(BlobServiceClient blobs, string jobContainer, string temporaryFolder)
    {
        _blobs = blobs;
        _jobs = blobs.GetBlobContainerClient(jobContainer);
        _temporaryFolder = temporaryFolder;
        Markers = new ShardMarkerStore(_jobs);
    }

    public IShardMarkers Markers { get; }

    public async Task<OpenedRecording> OpenRecordingAsync(BlobVersion recording, CancellationToken cancellationToken = default)
    {
        var blob = Recording(recording);
        var conditions = new BlobRequestConditions { IfMatch = new ETag(recording.ETag) };
        byte[] head;
        try
        {
            var first = await blob.DownloadContentAsync(new BlobDownloadOptions { Range = new HttpRange(0, 64), Conditions = conditions }, cancellationToken).ConfigureAwait(false);
            head = first.Value.Content.ToArray();
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            throw await UnavailableAsync(recording, ex, cancellationToken).ConfigureAwait(false);
        }

        if (IsWav(head) || IsFlac(head))
        {
            var options = new BlobOpenReadOptions(allowModifications: false) { BufferSize = BlockBytes, Conditions = conditions };
            var stream = new CountingReadStream(await blob.OpenReadAsync(options, cancellationToken).ConfigureAwait(false));
            try
            {
                return new OpenedRecording(AudioReaders.Open(stream, recording.Name), () => stream.BytesRead);
            }
            catch
            {
                await stream.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        // MP3 and Ogg are one shard (ingestion does not know their length) and are read whole: one temporary copy,
        // removed afterwards. WAV and FLAC are entered at a shard's frames by ranged reads.
        Directory.CreateDirectory(_temporaryFolder);
        string path = Path.Combine(_temporaryFolder, $"recording-{Guid.NewGuid():N}");
        var copy = new TemporaryFile(path);
        try
        {
            await blob.DownloadToAsync(path, new BlobDownloadToOptions { Conditions = conditions }, cancellationToken).ConfigureAwait(false);
            long size = new FileInfo(path).Length;
            return new OpenedRecording(AudioReaders.Open(path), () => size, copy);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            copy.Dispose();
            throw await UnavailableAsync(recording, ex, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            copy.Dispose();
            throw;
        }
    }

    public async Task<Stream?> OpenRecordingStreamAsync(BlobVersion recording, CancellationToken cancellationToken = default)
    {
        var blob = Recording(recording);
        var conditions = new BlobRequestConditions { IfMatch = new ETag(recording.ETag) };
        try
        {
            var first = await blob.DownloadContentAsync(new BlobDownloadOptions { Range = new HttpRange(0, 64), Conditions = conditions }, cancellationToken).ConfigureAwait(false);
            byte[] head = first.Value.Content.ToArray();
            if (!IsWav(head) && !IsFlac(head))
            {
                return null;
            }

            return new CountingReadStream(await blob.OpenReadAsync(new BlobOpenReadOptions(allowModifications: false) { BufferSize = ReadBytes, Conditions = conditions }, cancellationToken).ConfigureAwait(false));
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            throw await UnavailableAsync(recording, ex, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<Stream?> OpenReadAsync(string blobName, CancellationToken cancellationToken = default)
    {
        try
        {
            return new CountingReadStream(await _jobs.GetBlobClient(blobName).OpenReadAsync(new BlobOpenReadOptions(allowModifications: false) { BufferSize = ReadBytes }, cancellationToken).ConfigureAwait(false));
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    public async Task<(string Sha256, long Size)> UploadFileAsync(string blobName, string localFile, CancellationToken cancellationToken = default)
    {
        // Hashed first (one read of the local file), so the blob carries its sha256 metadata from the moment it exists.
        (string sha, long size) hashed;
        await using (var file = new FileStream(localFile, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true))
        {
            hashed = await HashStreamAsync(file, cancellationToken).ConfigureAwait(false);
        }

        var options = new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = ContentTypeOf(blobName) },
            Metadata = new Dictionary<string, string> { ["sha256"] = hashed.sha },
        };
        await _jobs.GetBlobClient(blobName).UploadAsync(localFile, options, cancellationToken).ConfigureAwait(false);
        return hashed;
    }

    public async Task<(string Sha256, long Size)> HashAsync(BlobVersion blob, CancellationToken cancellationToken = default)
    {
        try
        {
            var options = new BlobDownloadOptions { Conditions = new BlobRequestConditions { IfMatch = new ETag(blob.ETag) } };
            var download = await Recording(blob).DownloadStreamingAsync(options, cancellationToken).ConfigureAwait(false);
            await using var content = download.Value.Content;
            return await HashStreamAsync(content, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            throw await UnavailableAsync(blob, ex, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<StagedBlocks> StagePieceAsync(string blobName, int shardIndex, string localFile, CancellationToken cancellationToken = default)
    {
        var blob = _jobs.GetBlockBlobClient(blobName);
        var ids = new List<string>();
        var sizes = new List<long>();
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(BlockBytes); // pooled: a fresh 8 MiB array per piece piles up on the large object heap
        try
        {
            await using var file = new FileStream(localFile, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
            while (true)
            {
                int n = await file.ReadAtLeastAsync(buffer.AsMemory(0, BlockBytes), BlockBytes, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                string id = BlockId($"s{shardIndex:D6}b{ids.Count:D6}");
                sha.AppendData(buffer, 0, n);
                using var block = new MemoryStream(buffer, 0, n, writable: false);
                await blob.StageBlockAsync(id, block, cancellationToken: cancellationToken).ConfigureAwait(false);
                ids.Add(id);
                sizes.Add(n);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return new StagedBlocks(ids, sizes, Convert.ToHexStringLower(sha.GetHashAndReset()));
    }

    public async Task<IReadOnlyDictionary<string, long>> GetBlocksAsync(string blobName, CancellationToken cancellationToken = default)
    {
        try
        {
            var list = await _jobs.GetBlockBlobClient(blobName).GetBlockListAsync(BlockListTypes.All, cancellationToken: cancellationToken).ConfigureAwait(false);
            var blocks = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var block in list.Value.CommittedBlocks.Concat(list.Value.UncommittedBlocks))
            {
                blocks[block.Name] = block.SizeLong;
            }

            return blocks;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return new Dictionary<string, long>();
        }
    }

    public async Task<(string Sha256, long Size)> CommitAsync(string blobName, byte[] header, IReadOnlyList<CommitPart> parts, CancellationToken cancellationToken = default)
    {
        var blockIds = parts.SelectMany(p => p.Piece.BlockIds).ToList();
        if (blockIds.Count + 1 > MaxBlocks)
        {
            throw new InvalidDataException($"'{blobName}' would need {blockIds.Count + 1} blocks; a block blob holds at most {MaxBlocks}.");
        }

        var blob = _jobs.GetBlockBlobClient(blobName);
        string headerId = BlockId(HeaderBlock);
        using (var headerStream = new MemoryStream(header, writable: false))
        {
            await blob.StageBlockAsync(headerId, headerStream, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        // Uncommitted blocks are dropped 7 days after a blob's last staging; committing a list that names a missing
        // block would fail, so say which shard's blocks are gone instead.
        var present = await GetBlocksAsync(blobName, cancellationToken).ConfigureAwait(false);
        foreach (var part in parts)
        {
            if (StagedPieces.FirstMismatch(part.Piece, present) is { } problem)
            {
                throw new InvalidDataException($"'{blobName}': {problem} (shard {part.ShardIndex + 1}); its shard must be separated again.");
            }
        }

        var options = new CommitBlockListOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "audio/wav" } };
        await blob.CommitBlockListAsync([headerId, .. blockIds], options, cancellationToken).ConfigureAwait(false);

        // The hash of what is stored, read back from the committed blob, and each shard's piece of it checked against
        // the hash its record names: the proof that the blocks committed are the bytes that shard staged.
        var download = await blob.DownloadStreamingAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var checker = new StagedPieces.Checker(blobName, header.Length, parts);
        (string sha, long size) hashed;
        await using (var content = download.Value.Content)
        {
            hashed = await HashStreamAsync(content, cancellationToken, checker.Append).ConfigureAwait(false);
        }

        checker.Finish();
        await blob.SetMetadataAsync(new Dictionary<string, string> { ["sha256"] = hashed.sha }, cancellationToken: cancellationToken).ConfigureAwait(false);
        return hashed;
    }

    public async Task<(string Sha256, long Size)> WriteTextAsync(string blobName, string text, CancellationToken cancellationToken = default)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        string sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var options = new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = ContentTypeOf(blobName) },
            Metadata = new Dictionary<string, string> { ["sha256"] = sha },
        };
        await _jobs.GetBlobClient(blobName).UploadAsync(new BinaryData(bytes), options, cancellationToken).ConfigureAwait(false);
        return (sha, bytes.Length);
    }

    public async Task<string?> ReadTextAsync(string blobName, CancellationToken cancellationToken = default)
    {
        try
        {
            var content = await _jobs.GetBlobClient(blobName).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return content.Value.Content.ToString();
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    public async Task<bool> ExistsAsync(string blobName, CancellationToken cancellationToken = default) =>
        (await _jobs.GetBlobClient(blobName).ExistsAsync(cancellationToken).ConfigureAwait(false)).Value;

    public async Task<IReadOnlySet<string>> ListItemsWithRunRecordAsync(string jobId, CancellationToken cancellationToken = default)
    {
        var items = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var blob in _jobs.GetBlobsAsync(BlobTraits.None, BlobStates.None, jobId + "/", cancellationToken).ConfigureAwait(false))
        {
            string relative = blob.Name[(jobId.Length + 1)..];
            if (relative.EndsWith("/run.json", StringComparison.Ordinal) && relative.IndexOf('/') == relative.Length - "/run.json".Length)
            {
                items.Add(relative[..^"/run.json".Length]);
            }
        }

        return items;
    }

    public async Task<SamAudio.Storage.Jobs.JobRecord?> GetPlanAsync(string jobId, CancellationToken cancellationToken = default) =>
        (await new JobRecordStore(_jobs).GetAsync(jobId, cancellationToken).ConfigureAwait(false))?.Record;

    public async Task<IHeldLock?> TryLockAsync(string blobName, CancellationToken cancellationToken = default) =>
        await BlobLeaseLock.TryTakeAsync(_jobs.GetBlobClient(blobName), cancellationToken: cancellationToken).ConfigureAwait(false);

    public TimeSpan LockLapse => BlobLeaseLock.Duration;

    private BlobClient Recording(BlobVersion version) => _blobs.GetBlobContainerClient(version.Container).GetBlobClient(version.Name);

    /// <summary>Says whether the blob is gone or was replaced (a conditional read of a deleted blob may answer 412 too).</summary>
    private async Task<RecordingUnavailableException> UnavailableAsync(BlobVersion version, RequestFailedException ex, CancellationToken cancellationToken)
    {
        bool exists = ex.Status != 404 && (await Recording(version).ExistsAsync(cancellationToken).ConfigureAwait(false)).Value;
        return new(exists
            ? $"'{version.Container}/{version.Name}' has changed since the manifest was ingested (ETag {version.ETag}); originals must not change during a job: ingest the manifest again."
            : $"'{version.Container}/{version.Name}' no longer exists; upload it again and ingest the manifest again.", ex);
    }

    private static bool IsWav(ReadOnlySpan<byte> head) => head.Length >= 12
        && (head[..4].SequenceEqual("RIFF"u8) || head[..4].SequenceEqual("RF64"u8) || head[..4].SequenceEqual("BW64"u8))
        && head[8..12].SequenceEqual("WAVE"u8);

    private static bool IsFlac(ReadOnlySpan<byte> head) => head.Length >= 4 && head[..4].SequenceEqual("fLaC"u8);

    private static string BlockId(string name) => Convert.ToBase64String(Encoding.ASCII.GetBytes(name));

    private static string ContentTypeOf(string name) => Path.GetExtension(name) switch
    {
        ".json" => "application/json",
        ".csv" => "text/csv",
        ".html" => "text/html; charset=utf-8",
        ".png" => "image/png",
        ".wav" => "audio/wav",
        _ => "text/plain; charset=utf-8",
    };

    /// <summary>SHA-256 and size of everything <paramref name="content"/> holds; <paramref name="observe"/> sees every byte in order.</summary>
    private static async Task<(string, long)> HashStreamAsync(Stream content, CancellationToken cancellationToken, Action<ReadOnlySpan<byte>>? observe = null)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            long size = 0;
            int n;
            while ((n = await content.ReadAsync(buffer.AsMemory(0, 1 << 20), cancellationToken).ConfigureAwait(false)) > 0)
            {
                sha.AppendData(buffer, 0, n);
                observe?.Invoke(buffer.AsSpan(0, n));
                size += n;
            }

            return (Convert.ToHexStringLower(sha.GetHashAndReset()), size);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private sealed class TemporaryFile(string path) : IDisposable
    {
        public void Dispose() => File.Delete(path);
    }
}
