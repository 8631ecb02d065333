using System.Security.Cryptography;
using Azure.Storage.Blobs.Specialized;
using SamAudio.Storage.Tests;
using SamAudio.Worker.BlobStorage;
using SamAudio.Worker.Processing;

namespace SamAudio.Worker.Tests.BlobStorage;

/// <summary>
/// The blob adapter's staging on Azurite: what a shard's record says about its staged blocks (ids, sizes, SHA-256) is
/// what Blob Storage holds, and a commit refuses blocks whose bytes are not the ones the record names.
/// </summary>
public sealed class BlobWorkerStoreStagingTests : IAsyncLifetime
{
    private readonly TestStorage _storage = new();
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("samaudio-staging-");
    private BlobWorkerStore _store = null!;

    public async Task InitializeAsync()
    {
        await _storage.ContainerAsync(_storage.Options.JobContainer);
        _store = new BlobWorkerStore(_storage.Blobs, _storage.Options.JobContainer, Path.Combine(_folder.FullName, "tmp"));
    }

    public async Task DisposeAsync()
    {
        await _storage.CleanUpAsync();
        _folder.Delete(recursive: true);
    }

    [Fact]
    public async Task Staging_records_each_block_s_size_and_the_piece_s_hash_and_the_blob_lists_the_same()
    {
        byte[] piece = Bytes(BlobWorkerStore.BlockBytes + 1000, seed: 1);

        var staged = await _store.StagePieceAsync("job/item/out.wav", shardIndex: 3, Write("piece", piece));
        var present = await _store.GetBlocksAsync("job/item/out.wav");

        Assert.Equal([BlobWorkerStore.BlockBytes, 1000L], staged.Bytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(piece)), staged.Sha256);
        Assert.Equal(["s000003b000000", "s000003b000001"], staged.Ids.Select(StagedPieces.Describe));
        Assert.All(staged.Ids.Zip(staged.Bytes), b => Assert.Equal(b.Second, present[b.First]));
        Assert.Empty(await _store.GetBlocksAsync("job/item/never-staged.wav"));
    }

    [Fact]
    public async Task A_commit_of_the_recorded_blocks_is_header_plus_pieces_and_passes_the_check()
    {
        byte[] header = [1, 2, 3, 4];
        byte[] first = Bytes(5000, seed: 2), second = Bytes(7000, seed: 3);
        var parts = new List<CommitPart>
        {
            await PartAsync("job/item/out.wav", 0, first),
            await PartAsync("job/item/out.wav", 1, second),
        };

        var (sha, size) = await _store.CommitAsync("job/item/out.wav", header, parts);

        byte[] expected = [.. header, .. first, .. second];
        Assert.Equal(expected.Length, size);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(expected)), sha);
        var stored = await _storage.Blobs.GetBlobContainerClient(_storage.Options.JobContainer).GetBlobClient("job/item/out.wav").DownloadContentAsync();
        Assert.Equal(expected, stored.Value.Content.ToArray());
    }

    [Fact]
    public async Task A_block_restaged_with_other_bytes_of_the_same_size_is_caught_at_commit()
    {
        byte[] first = Bytes(5000, seed: 4), second = Bytes(7000, seed: 5);
        var parts = new List<CommitPart>
        {
            await PartAsync("job/item/out.wav", 0, first),
            await PartAsync("job/item/out.wav", 1, second),
        };

        // Another writer stages the same block id with the same size and other bytes: ids and sizes still match.
        byte[] other = Bytes(7000, seed: 6);
        using (var stream = new MemoryStream(other))
        {
            await _storage.Blobs.GetBlobContainerClient(_storage.Options.JobContainer).GetBlockBlobClient("job/item/out.wav")
                .StageBlockAsync(parts[1].Piece.BlockIds[0], stream);
        }

        Assert.Null(StagedPieces.FirstMismatch(parts[1].Piece, await _store.GetBlocksAsync("job/item/out.wav")));
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => _store.CommitAsync("job/item/out.wav", [9], parts));

        Assert.Contains("shard 2's piece has SHA-256", error.Message);
        Assert.DoesNotContain("shard 1's", error.Message);
    }

    [Fact]
    public async Task A_record_whose_sizes_differ_from_the_staged_blocks_is_refused_before_committing()
    {
        var part = await PartAsync("job/item/out.wav", 0, Bytes(5000, seed: 7));
        var wrong = part with { Piece = part.Piece with { BlockBytes = [4999] } };

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => _store.CommitAsync("job/item/out.wav", [9], [wrong]));

        Assert.Contains("holds 5000 bytes where the shard's record says 4999", error.Message);
        Assert.Contains("shard 1", error.Message);
        Assert.False(await _store.ExistsAsync("job/item/out.wav"), "nothing was committed");
    }

    private async Task<CommitPart> PartAsync(string blob, int shard, byte[] bytes)
    {
        var staged = await _store.StagePieceAsync(blob, shard, Write($"piece{shard}", bytes));
        return new CommitPart(shard, new StagedPiece("out.wav", "target", "p", bytes.Length / 4, 0, staged.Ids, staged.Bytes, staged.Sha256));
    }

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_folder.FullName, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
