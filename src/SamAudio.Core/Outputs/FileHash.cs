using System.Security.Cryptography;

namespace SamAudio.Core.Outputs;

/// <summary>SHA-256 of files, streamed, as lower-case hex (the form <c>sha256sum</c> prints).</summary>
public static class FileHash
{
    public static async Task<string> Sha256Async(string path, CancellationToken cancellationToken = default)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (stream.ConfigureAwait(false))
        {
            byte[] hash = await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false);
            return Convert.ToHexStringLower(hash);
        }
    }
}
