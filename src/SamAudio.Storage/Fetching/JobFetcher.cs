using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using SamAudio.Core.Outputs;
using SamAudio.Storage.Jobs;
using SamAudio.Storage.Submission;

namespace SamAudio.Storage.Fetching;

/// <summary>
/// Downloads a job's outputs, <c>&lt;jobId&gt;/...</c> in the jobs container except <c>&lt;jobId&gt;/_state/</c>, into
/// <c>&lt;out&gt;/&lt;jobId&gt;/...</c>, the layout <c>samaudio batch --out</c> writes. Each file is written under a
/// temporary name, checked against the blob's hash and only then renamed into place, so a file at its final name is
/// always complete. A local file that already has the blob's <c>sha256</c> metadata (or, without it, its Content-MD5)
/// is left alone, so fetching again only downloads what changed.
/// </summary>
public sealed class JobFetcher
{
    private const int BufferBytes = 1 << 20;
    private readonly BlobContainerClient _jobs;
    private readonly int _concurrency;

    /// <summary>Creates a fetcher over the jobs container that downloads <paramref name="concurrency"/> files at a time.</summary>
    public JobFetcher(BlobContainerClient jobs, int concurrency = 8)
    {
        _jobs = jobs ?? throw new ArgumentNullException(nameof(jobs));
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        _concurrency = concurrency;
    }

    /// <summary>Fetches job <paramref name="jobId"/> into <paramref name="outputRoot"/>/<paramref name="jobId"/>.</summary>
    public async Task<FetchResult> FetchAsync(string jobId, string outputRoot, IProgress<FetchProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputRoot);
        var folder = Path.GetFullPath(Path.Combine(outputRoot, jobId ?? ""));
        if (!JobRecordStore.IsValidJobId(jobId))
            return new FetchResult { Folder = folder };

        var root = jobId + "/";
        var state = root + "_state/";
        var files = new List<(BlobItem Blob, string Path)>();
        var refused = new List<string>();
        var found = false;
        try
        {
            await foreach (var blob in _jobs.GetBlobsAsync(BlobTraits.Metadata, BlobStates.None, root, cancellationToken).ConfigureAwait(false))
            {
                found = true;
                if (blob.Name.StartsWith(state, StringComparison.Ordinal) || IsFolder(blob)) continue;
                if (FetchPaths.LocalPath(folder, blob.Name[root.Length..]) is { } path) files.Add((blob, path));
                else refused.Add(blob.Name);
            }
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            return new FetchResult { Folder = folder };
        }
        if (!found)
            return new FetchResult { Folder = folder };

        long bytesTotal = files.Sum(f => f.Blob.Properties.ContentLength ?? 0);
        int filesDone = 0, downloaded = 0, skipped = 0;
        long bytesDone = 0, bytesDownloaded = 0;
        void Report() => progress?.Report(new FetchProgress(Volatile.Read(ref filesDone), files.Count, Interlocked.Read(ref bytesDone), bytesTotal));
        var failed = new ConcurrentBag<FetchFailure>();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _concurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(files, parallel, async (file, ct) =>
        {
            long size = file.Blob.Properties.ContentLength ?? 0;
            try
            {
                if (await IsUnchangedAsync(file.Blob, file.Path, ct).ConfigureAwait(false))
                {
                    Interlocked.Increment(ref skipped);
                    Interlocked.Add(ref bytesDone, size);
                }
                else
                {
                    long written = await DownloadAsync(file.Blob, file.Path, n => { Interlocked.Add(ref bytesDone, n); Report(); }, ct).ConfigureAwait(false);
                    Interlocked.Add(ref bytesDownloaded, written);
                    Interlocked.Increment(ref downloaded);
                }
            }
            catch (Exception ex) when (ex is RequestFailedException or IOException or UnauthorizedAccessException or InvalidDataException)
            {
                failed.Add(new FetchFailure(file.Blob.Name, ex is RequestFailedException { Status: 412 }
                    ? "The blob changed while it was being fetched; fetch again."
                    : ex.Message));
            }
            Interlocked.Increment(ref filesDone);
            Report();
        }).ConfigureAwait(false);

        return new FetchResult
        {
            JobFound = true,
            Folder = folder,
            Downloaded = downloaded,
            Skipped = skipped,
            BytesDownloaded = bytesDownloaded,
            Refused = refused,
            Failed = [.. failed.OrderBy(f => f.BlobName, StringComparer.Ordinal)],
        };
    }

    /// <summary>True when <paramref name="path"/> exists with the blob's length and hash (sha256 metadata, else Content-MD5).</summary>
    private static async Task<bool> IsUnchangedAsync(BlobItem blob, string path, CancellationToken cancellationToken)
    {
        var local = new FileInfo(path);
        if (!local.Exists || local.Length != blob.Properties.ContentLength) return false;
        var sha256 = Sha256Of(blob);
        var md5 = blob.Properties.ContentHash;
        if (sha256 is null && md5 is not { Length: > 0 }) return false;
        var hashes = await FileHashes.ComputeAsync(path, cancellationToken).ConfigureAwait(false);
        return sha256 is not null
            ? string.Equals(sha256, hashes.Sha256, StringComparison.OrdinalIgnoreCase)
            : md5.AsSpan().SequenceEqual(hashes.Md5);
    }

    /// <summary>Downloads the blob version listed to a temporary file, checks its hash, then renames it to <paramref name="path"/>.</summary>
    private async Task<long> DownloadAsync(BlobItem blob, string path, Action<int> onBytes, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = AtomicFile.TemporaryPathFor(path);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferBytes);
        try
        {
            var options = new BlobDownloadOptions { Conditions = new BlobRequestConditions { IfMatch = blob.Properties.ETag } };
            var response = await _jobs.GetBlobClient(blob.Name).DownloadStreamingAsync(options, cancellationToken).ConfigureAwait(false);
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
            long total = 0;
            var content = response.Value.Content;
            await using (content.ConfigureAwait(false))
            {
                var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
                await using (file.ConfigureAwait(false))
                {
                    int read;
                    while ((read = await content.ReadAsync(buffer.AsMemory(0, BufferBytes), cancellationToken).ConfigureAwait(false)) > 0)
                    {
                        await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                        sha.AppendData(buffer, 0, read);
                        md5.AppendData(buffer, 0, read);
                        total += read;
                        onBytes(read);
                    }
                    file.Flush(flushToDisk: true);
                }
            }
            var actualSha = Convert.ToHexStringLower(sha.GetHashAndReset());
            if (Sha256Of(blob) is { } expected && !string.Equals(expected, actualSha, StringComparison.OrdinalIgnoreCase))
                throw new InvalidDataException($"Downloaded {total} bytes with SHA-256 {actualSha}, but the blob's sha256 metadata says {expected}; the file was not kept.");
            if (blob.Properties.ContentHash is { Length: > 0 } expectedMd5 && !expectedMd5.AsSpan().SequenceEqual(md5.GetHashAndReset()))
                throw new InvalidDataException($"Downloaded {total} bytes whose MD5 differs from the blob's Content-MD5; the file was not kept.");
            File.Move(temp, path, overwrite: true);
            return total;
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static string? Sha256Of(BlobItem blob) =>
        blob.Metadata is { } metadata && metadata.TryGetValue("sha256", out var sha) && sha.Length > 0 ? sha : null;

    /// <summary>A folder placeholder of an account with a hierarchical namespace: nothing to download.</summary>
    private static bool IsFolder(BlobItem blob) =>
        blob.Metadata is { } metadata && metadata.TryGetValue("hdi_isfolder", out var folder) && string.Equals(folder, "true", StringComparison.OrdinalIgnoreCase);
}
