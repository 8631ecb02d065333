using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using SamAudio.Core.Audio;
using SamAudio.Storage.Jobs;
using SamAudio.Storage.WorkItems;
using SamAudio.Worker.BlobStorage;
using SamAudio.Worker.Processing;

namespace SamAudio.Worker.Tests.Processing;

/// <summary>
/// A small in-memory <see cref="IWorkerStore"/> for the worker's core logic (the Azurite tests prove the blob
/// adapter): recordings by version, staged and committed blocks, text blobs and markers, with counters.
/// </summary>
internal sealed class MemoryWorkerStore : IWorkerStore, IShardMarkers
{
    private readonly ConcurrentDictionary<string, byte[]> _recordings = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte[]>> _staged = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ShardMarker> _markers = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, byte[]> Blobs { get; } = new(StringComparer.Ordinal);

    public JobRecord? Plan { get; set; }

    public int StagedBlocks;

    /// <summary>When set, staging throws it (a full disk, a storage outage).</summary>
    public Exception? StagingFails { get; set; }

    /// <summary>When set, writing this blob throws once (a worker that dies just before it).</summary>
    public string? WriteFailsOnce { get; set; }

    /// <summary>When set, the next done marker is not written and throws (a worker killed after the shard's record).</summary>
    public bool DoneMarkerFailsOnce { get; set; }

    public IShardMarkers Markers => this;

    /// <summary>The locks held now, by blob name.</summary>
    public ConcurrentDictionary<string, MemoryLock> Locks { get; } = new(StringComparer.Ordinal);

    /// <summary>How many times a lock was taken.</summary>
    public int LocksTaken;

    public TimeSpan LockLapse => TimeSpan.FromMilliseconds(1);

    public Task<IHeldLock?> TryLockAsync(string blobName, CancellationToken cancellationToken = default)
    {
        var held = new MemoryLock(this, blobName);
        if (!Locks.TryAdd(blobName, held))
        {
            return Task.FromResult<IHeldLock?>(null);
        }

        Interlocked.Increment(ref LocksTaken);
        return Task.FromResult<IHeldLock?>(held);
    }

    /// <summary>Lets every held lock lapse, as if its holder died and stopped renewing it; the holder sees <see cref="IHeldLock.Lost"/>.</summary>
    public void LapseLocks()
    {
        foreach (var name in Locks.Keys)
        {
            if (Locks.TryRemove(name, out var held))
            {
                held.Lapse();
            }
        }
    }

    internal sealed class MemoryLock(MemoryWorkerStore store, string name) : IHeldLock
    {
        private readonly CancellationTokenSource _lost = new();

        public CancellationToken Lost => _lost.Token;

        public void Lapse() => _lost.Cancel();

        public ValueTask DisposeAsync()
        {
            ((ICollection<KeyValuePair<string, MemoryLock>>)store.Locks).Remove(new KeyValuePair<string, MemoryLock>(name, this));
            _lost.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    public BlobVersion AddRecording(string name, byte[] bytes) =>
        AddBlob(new BlobVersion("recordings", name, $"\"{Convert.ToHexString(SHA256.HashData(bytes))[..16]}\"", bytes.Length), bytes);

    /// <summary>A blob read by version (a recording or a manifest).</summary>
    public BlobVersion AddBlob(BlobVersion version, byte[] bytes)
    {
        _recordings[Key(version)] = bytes;
        return version;
    }

    public Task<OpenedRecording> OpenRecordingAsync(BlobVersion recording, CancellationToken cancellationToken = default)
    {
        if (!_recordings.TryGetValue(Key(recording), out var bytes))
        {
            throw new RecordingUnavailableException($"'{recording.Name}' has changed since ingestion");
        }

        var stream = new CountingReadStream(new MemoryStream(bytes, writable: false));
        return Task.FromResult(new OpenedRecording(AudioReaders.OpenWav(stream, recording.Name), () => stream.BytesRead));
    }

    /// <summary>When set, <see cref="OpenRecordingStreamAsync"/> throws it (only the report reads recordings this way).</summary>
    public Exception? RecordingStreamFails { get; set; }

    public Task<Stream?> OpenRecordingStreamAsync(BlobVersion recording, CancellationToken cancellationToken = default) =>
        RecordingStreamFails is { } failure ? throw failure :
        _recordings.TryGetValue(Key(recording), out var bytes)
            ? Task.FromResult<Stream?>(new MemoryStream(bytes, writable: false))
            : throw new RecordingUnavailableException($"'{recording.Name}' has changed since ingestion");

    public Task<Stream?> OpenReadAsync(string blobName, CancellationToken cancellationToken = default) =>
        Task.FromResult<Stream?>(Blobs.TryGetValue(blobName, out var bytes) ? new MemoryStream(bytes, writable: false) : null);

    public async Task<(string Sha256, long Size)> UploadFileAsync(string blobName, string localFile, CancellationToken cancellationToken = default)
    {
        byte[] bytes = await File.ReadAllBytesAsync(localFile, cancellationToken);
        Blobs[blobName] = bytes;
        return (Convert.ToHexStringLower(SHA256.HashData(bytes)), bytes.Length);
    }

    public Task<(string Sha256, long Size)> HashAsync(BlobVersion blob, CancellationToken cancellationToken = default) =>
        _recordings.TryGetValue(Key(blob), out var bytes)
            ? Task.FromResult((Convert.ToHexStringLower(SHA256.HashData(bytes)), (long)bytes.Length))
            : throw new RecordingUnavailableException($"'{blob.Name}' is gone");

    public Task<StagedBlocks> StagePieceAsync(string blobName, int shardIndex, string localFile, CancellationToken cancellationToken = default)
    {
        if (StagingFails is { } failure)
        {
            throw failure;
        }

        // Small blocks, so that a piece spans several and their order matters.
        byte[] bytes = File.ReadAllBytes(localFile);
        var blocks = _staged.GetOrAdd(blobName, _ => new ConcurrentDictionary<string, byte[]>(StringComparer.Ordinal));
        var ids = new List<string>();
        var sizes = new List<long>();
        for (int offset = 0, n = 0; offset < bytes.Length; offset += 64 * 1024, n++)
        {
            string id = $"s{shardIndex:D6}b{n:D6}";
            blocks[id] = bytes[offset..Math.Min(bytes.Length, offset + (64 * 1024))];
            ids.Add(id);
            sizes.Add(blocks[id].Length);
            Interlocked.Increment(ref StagedBlocks);
        }

        return Task.FromResult(new StagedBlocks(ids, sizes, Convert.ToHexStringLower(SHA256.HashData(bytes))));
    }

    public Task<IReadOnlyDictionary<string, long>> GetBlocksAsync(string blobName, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyDictionary<string, long>>(
            (_staged.GetValueOrDefault(blobName) ?? new ConcurrentDictionary<string, byte[]>()).ToDictionary(b => b.Key, b => (long)b.Value.Length, StringComparer.Ordinal));

    public async Task<(string Sha256, long Size)> CommitAsync(string blobName, byte[] header, IReadOnlyList<CommitPart> parts, CancellationToken cancellationToken = default)
    {
        var present = await GetBlocksAsync(blobName, cancellationToken);
        foreach (var part in parts)
        {
            if (StagedPieces.FirstMismatch(part.Piece, present) is { } problem)
            {
                throw new InvalidDataException($"'{blobName}': {problem}");
            }
        }

        var blocks = _staged.GetValueOrDefault(blobName) ?? new ConcurrentDictionary<string, byte[]>();
        byte[] content = [.. header, .. parts.SelectMany(p => p.Piece.BlockIds).SelectMany(id => blocks[id])];
        Blobs[blobName] = content;
        var checker = new StagedPieces.Checker(blobName, header.Length, parts);
        checker.Append(content);
        checker.Finish();
        return (Convert.ToHexStringLower(SHA256.HashData(content)), content.Length);
    }

    public Task<(string Sha256, long Size)> WriteTextAsync(string blobName, string text, CancellationToken cancellationToken = default)
    {
        if (blobName == WriteFailsOnce)
        {
            WriteFailsOnce = null;
            throw new IOException($"the worker died before writing '{blobName}'");
        }

        byte[] bytes = Encoding.UTF8.GetBytes(text);
        Blobs[blobName] = bytes;
        return Task.FromResult((Convert.ToHexStringLower(SHA256.HashData(bytes)), (long)bytes.Length));
    }

    public Task<string?> ReadTextAsync(string blobName, CancellationToken cancellationToken = default) =>
        Task.FromResult(Blobs.TryGetValue(blobName, out var bytes) ? Encoding.UTF8.GetString(bytes) : null);

    public Task<bool> ExistsAsync(string blobName, CancellationToken cancellationToken = default) => Task.FromResult(Blobs.ContainsKey(blobName));

    public Task<IReadOnlySet<string>> ListItemsWithRunRecordAsync(string jobId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlySet<string>>(Blobs.Keys
            .Where(k => k.StartsWith(jobId + "/", StringComparison.Ordinal) && k.EndsWith("/run.json", StringComparison.Ordinal) && k.Count(c => c == '/') == 2)
            .Select(k => k.Split('/')[1]).ToHashSet(StringComparer.Ordinal));

    public Task<JobRecord?> GetPlanAsync(string jobId, CancellationToken cancellationToken = default) => Task.FromResult(Plan);

    public Task MarkRunningAsync(ShardMarker marker, CancellationToken cancellationToken = default)
    {
        _markers[MarkerKey(marker.JobId, marker.WorkItemId, ShardState.Running)] = marker with { State = ShardState.Running };
        return Task.CompletedTask;
    }

    public Task<bool> TryMarkFinalAsync(ShardMarker marker, CancellationToken cancellationToken = default)
    {
        if (marker.State == ShardState.Done && DoneMarkerFailsOnce)
        {
            DoneMarkerFailsOnce = false;
            throw new IOException($"the worker died before marking {marker.WorkItemId} done");
        }

        return Task.FromResult(_markers.TryAdd(MarkerKey(marker.JobId, marker.WorkItemId, marker.State), marker));
    }

    public Task<bool> ExistsAsync(string jobId, string workItemId, ShardState state, CancellationToken cancellationToken = default) =>
        Task.FromResult(_markers.ContainsKey(MarkerKey(jobId, workItemId, state)));

    public Task<ShardMarker?> GetAsync(string jobId, string workItemId, ShardState state, CancellationToken cancellationToken = default) =>
        Task.FromResult(_markers.GetValueOrDefault(MarkerKey(jobId, workItemId, state)));

    public Task<IReadOnlyList<ShardMarker>> ListAsync(string jobId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<ShardMarker>>(_markers.Values.Where(m => m.JobId == jobId).ToList());

    /// <summary>Drops every staged block of one shard, as the service does 7 days after the last staging.</summary>
    public void DropStagedBlocks(int shardIndex)
    {
        foreach (var blocks in _staged.Values)
        {
            foreach (var id in blocks.Keys.Where(k => k.StartsWith($"s{shardIndex:D6}", StringComparison.Ordinal)))
            {
                blocks.TryRemove(id, out _);
            }
        }
    }

    /// <summary>Flips one byte of every first block of one shard: the same ids and sizes, other bytes.</summary>
    public void CorruptStagedBlocks(int shardIndex)
    {
        foreach (var blocks in _staged.Values)
        {
            if (blocks.TryGetValue($"s{shardIndex:D6}b{0:D6}", out var block) && block.Length > 0)
            {
                block[^1] ^= 0x5A;
            }
        }
    }

    private static string Key(BlobVersion v) => $"{v.Container}/{v.Name}@{v.ETag}";

    private static string MarkerKey(string jobId, string workItemId, ShardState state) => $"{jobId}/{workItemId}.{state}";
}
