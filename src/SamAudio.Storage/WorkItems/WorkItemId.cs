using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SamAudio.Storage.WorkItems;

/// <summary>Deterministic work item ids: the same manifest version, item and shard always give the same id.</summary>
public static class WorkItemId
{
    /// <summary>
    /// <c>&lt;item index&gt;-&lt;shard index&gt;-&lt;first 16 bytes of SHA-256(manifest ETag | item index | shard index) as hex&gt;</c>.
    /// </summary>
    public static string Create(string manifestETag, int itemIndex, int shardIndex)
    {
        ArgumentException.ThrowIfNullOrEmpty(manifestETag);
        ArgumentOutOfRangeException.ThrowIfNegative(itemIndex);
        ArgumentOutOfRangeException.ThrowIfNegative(shardIndex);
        var key = string.Create(CultureInfo.InvariantCulture, $"{manifestETag}|{itemIndex}|{shardIndex}");
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        return string.Create(CultureInfo.InvariantCulture,
            $"{itemIndex:D5}-{shardIndex:D4}-{Convert.ToHexStringLower(hash.AsSpan(0, 16))}");
    }
}
