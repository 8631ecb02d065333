using SamAudio.Core.Activity;
using SamAudio.Core.Audio;
using SamAudio.Core.Provenance;
using SamAudio.Core.Segmentation;

namespace SamAudio.Worker.Processing;

/// <summary>
/// What one shard produced, stored before its done marker (<c>&lt;jobId&gt;/_state/shards/&lt;workItemId&gt;.result.json</c>):
/// the blocks it staged for each output, the activity frames of its own samples and its provenance. The item is
/// assembled from these records alone.
/// </summary>
internal sealed record ShardResult
{
    public string Schema { get; init; } = "samaudio.shardresult/v1";

    public required string WorkItemId { get; init; }

    public required string ItemId { get; init; }

    public required ShardSpan Span { get; init; }

    public required RecordingFacts Recording { get; init; }

    /// <summary>
    /// The recording blob at the ETag the work item names (what the shard read); the job report reads the mixture at
    /// it. Null in records written before it was added.
    /// </summary>
    public Storage.WorkItems.BlobVersion? Source { get; init; }

    public required int ModelSampleRate { get; init; }

    public required int OutputSampleRate { get; init; }

    public required ModelRecord Model { get; init; }

    public required IReadOnlyList<PromptRecord> Prompts { get; init; }

    public required IReadOnlyList<StagedPiece> Pieces { get; init; }

    /// <summary>Per prompt, in prompt order: activity frames of the shard's own samples at the model's rate.</summary>
    public required IReadOnlyList<IReadOnlyList<ActivityFrame>> Activity { get; init; }

    /// <summary>
    /// The settings the item's activity tables are made with (the model pack's, else the defaults); null in records
    /// written before it was added, which used <see cref="ActivityOptions.Defaults"/>.
    /// </summary>
    public ActivityOptions? ActivitySettings { get; init; }

    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>
    /// The recording checked against its own integrity data (a FLAC's STREAMINFO MD5), by the item's first shard only;
    /// null for other shards and for formats that carry none.
    /// </summary>
    public IntegrityCheck? Integrity { get; init; }

    public IReadOnlyDictionary<string, double> TimingsSeconds { get; init; } = new Dictionary<string, double>();

    public required ShardRunRecord Run { get; init; }

    public static string BlobName(string jobId, string workItemId) => $"{jobId}/_state/shards/{workItemId}.result.json";
}

/// <summary>The recording as the shard's reader saw it.</summary>
internal sealed record RecordingFacts(string Container, string Encoding, int SampleRate, int Channels, long Frames);

/// <summary>
/// One output's piece from this shard: which file, how much, and the blocks staged for it in order with their sizes
/// and the SHA-256 of the piece's bytes. The sizes and hash are the record that lets a later delivery reuse the staged
/// blocks and lets assembly check what it committed; records written before they existed carry neither (null).
/// </summary>
internal sealed record StagedPiece(
    string FileName, string Kind, string Prompt, long Frames, long ClippedSamples, IReadOnlyList<string> BlockIds,
    IReadOnlyList<long>? BlockBytes = null, string? Sha256 = null);

/// <summary>What staging one piece stored: block ids in order, each block's size, and the SHA-256 of all its bytes.</summary>
internal sealed record StagedBlocks(IReadOnlyList<string> Ids, IReadOnlyList<long> Bytes, string Sha256);
