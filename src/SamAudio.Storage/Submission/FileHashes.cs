using System.Security.Cryptography;

namespace SamAudio.Storage.Submission;

/// <summary>SHA-256 and MD5 of a file, computed in one streamed pass.</summary>
/// <param name="Sha256">Lower-case hex SHA-256 (what manifests and blob metadata hold).</param>
/// <param name="Md5">MD5 bytes (what blob storage keeps as Content-MD5).</param>
/// <param name="Length">File length in bytes.</param>
public sealed record FileHashes(string Sha256, byte[] Md5, long Length)
{
    /// <summary>Hashes <paramref name="path"/> without loading it whole.</summary>
    public static async Task<FileHashes> ComputeAsync(string path, CancellationToken cancellationToken = default)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var buffer = new byte[1 << 20];
        long length = 0;
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            sha.AppendData(buffer, 0, read);
            md5.AppendData(buffer, 0, read);
            length += read;
        }
        return new FileHashes(Convert.ToHexStringLower(sha.GetHashAndReset()), md5.GetHashAndReset(), length);
    }
}
