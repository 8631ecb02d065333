using System.Buffers;
using System.Security.Cryptography;

namespace SamAudio.Core.Outputs;

/// <summary>SHA-256 of files, streamed, as lower-case hex (the form <c>sha256sum</c> prints).</summary>
public static class FileHash
{
    private const int ReadBytes = 1 << 20;

    /// <summary>
    /// Reads <paramref name="path"/> in 1 MiB pieces through one pooled buffer: a buffered <see cref="FileStream"/> would
    /// allocate its 1 MiB buffer afresh on the large-object heap for every file, once per item of a batch.
    /// </summary>
    public static async Task<string> Sha256Async(string path, CancellationToken cancellationToken = default)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.Asynchronous | FileOptions.SequentialScan);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ReadBytes);
        try
        {
            long offset = 0;
            for (int n; (n = await RandomAccess.ReadAsync(handle, buffer.AsMemory(0, ReadBytes), offset, cancellationToken).ConfigureAwait(false)) > 0;)
            {
                hash.AppendData(buffer, 0, n);
                offset += n;
            }

            return Convert.ToHexStringLower(hash.GetHashAndReset());
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
