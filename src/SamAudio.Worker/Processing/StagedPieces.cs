using System.Security.Cryptography;
using System.Text;

namespace SamAudio.Worker.Processing;

/// <summary>One shard's piece of an output file, in the order the file is committed.</summary>
internal sealed record CommitPart(int ShardIndex, StagedPiece Piece);

/// <summary>
/// What a shard's record (<see cref="StagedPiece"/>) proves about blocks staged earlier, and the check that the bytes
/// committed are the bytes it staged. Block ids and sizes say only that something of that length sits under that name;
/// the record's SHA-256 of the piece is what ties the committed bytes to the shard that separated them.
/// </summary>
internal static class StagedPieces
{
    /// <summary>
    /// Null when every block <paramref name="piece"/> names is among <paramref name="present"/> (the blob's committed
    /// and staged blocks by id) with the size the record gives; otherwise what is wrong, in words.
    /// </summary>
    public static string? FirstMismatch(StagedPiece piece, IReadOnlyDictionary<string, long> present)
    {
        for (int i = 0; i < piece.BlockIds.Count; i++)
        {
            string id = piece.BlockIds[i];
            if (!present.TryGetValue(id, out long size))
            {
                return $"staged block {Describe(id)} is no longer there";
            }

            if (piece.BlockBytes is { } sizes && sizes[i] != size)
            {
                return $"staged block {Describe(id)} holds {size} bytes where the shard's record says {sizes[i]}";
            }
        }

        return null;
    }

    /// <summary>True when the record carries what reuse needs: every block's size and the piece's SHA-256.</summary>
    public static bool IsProvable(StagedPiece piece) =>
        piece.Sha256 is not null && piece.BlockBytes is { } sizes && sizes.Count == piece.BlockIds.Count;

    /// <summary>A block id as its readable name (ids are Base64 of ASCII names on Blob Storage).</summary>
    public static string Describe(string id)
    {
        Span<byte> bytes = stackalloc byte[64];
        return Convert.TryFromBase64String(id, bytes, out int n) && bytes[..n].IndexOfAnyExceptInRange((byte)0x20, (byte)0x7E) < 0
            ? Encoding.ASCII.GetString(bytes[..n])
            : id;
    }

    /// <summary>
    /// Hashes each shard's piece of a committed file as its bytes stream past (header first), and compares every piece
    /// whose record names a hash. A piece from a record without sizes ends the check there, since where the next
    /// piece begins is then unknown.
    /// </summary>
    public sealed class Checker(string blobName, long headerBytes, IReadOnlyList<CommitPart> parts)
    {
        private readonly IncrementalHash _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private readonly List<string> _problems = [];
        private long _header = headerBytes;
        private int _part;
        private long _left = LengthOf(parts, 0);

        public void Append(ReadOnlySpan<byte> bytes)
        {
            int skip = (int)Math.Min(_header, bytes.Length);
            _header -= skip;
            bytes = bytes[skip..];
            while (!bytes.IsEmpty && _part < parts.Count && _left >= 0)
            {
                int take = (int)Math.Min(_left, bytes.Length);
                _sha.AppendData(bytes[..take]);
                bytes = bytes[take..];
                _left -= take;
                if (_left == 0)
                {
                    Close();
                }
            }
        }

        /// <summary>Throws when a piece's bytes differ from its record or the file ended inside a piece.</summary>
        public void Finish()
        {
            while (_part < parts.Count && _left == 0)
            {
                Close(); // empty pieces at the end
            }

            if (_part < parts.Count && _left > 0)
            {
                _problems.Add($"the file ends {_left} bytes into shard {parts[_part].ShardIndex + 1}'s piece");
            }

            _sha.Dispose();
            if (_problems.Count > 0)
            {
                throw new InvalidDataException(
                    $"'{blobName}': {string.Join("; ", _problems)}. The committed file is not what its shards staged, so the item is not completed; submit the manifest again to separate it anew.");
            }
        }

        private void Close()
        {
            var part = parts[_part];
            string got = Convert.ToHexStringLower(_sha.GetHashAndReset());
            if (part.Piece.Sha256 is { } expected && !string.Equals(expected, got, StringComparison.OrdinalIgnoreCase))
            {
                _problems.Add($"shard {part.ShardIndex + 1}'s piece has SHA-256 {got} where its record says {expected}");
            }

            _part++;
            _left = LengthOf(parts, _part);
        }

        /// <summary>Bytes of part <paramref name="index"/> by its record, or -1 when the record has no sizes.</summary>
        private static long LengthOf(IReadOnlyList<CommitPart> parts, int index) =>
            index >= parts.Count ? 0 : parts[index].Piece.BlockBytes is { } sizes ? sizes.Sum() : -1;
    }
}
