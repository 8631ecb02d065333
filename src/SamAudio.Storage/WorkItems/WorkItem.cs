using System.Text.Json.Serialization;
using SamAudio.Core.Manifests;

namespace SamAudio.Storage.WorkItems;

/// <summary>
/// One unit of GPU work: one shard of one manifest item, sent as a Base64-encoded JSON queue message (DESIGN §3).
/// <see cref="Id"/> is deterministic (manifest ETag + item index + shard index), so a duplicate message is harmless.
/// </summary>
public sealed record WorkItem
{
    /// <summary>Contract version of the message.</summary>
    public string Schema { get; init; } = WorkItemJson.Schema;

    /// <summary>Deterministic id of this work item; see <see cref="WorkItemId"/>.</summary>
    public required string Id { get; init; }

    public required string JobId { get; init; }

    public required string ItemId { get; init; }

    /// <summary>Position of the item in the manifest's <c>items</c> array.</summary>
    public required int ItemIndex { get; init; }

    /// <summary>The manifest blob and the ETag of the version that was ingested.</summary>
    public required BlobVersion Manifest { get; init; }

    /// <summary>The recording blob and the ETag seen at ingestion; the worker reads exactly this version.</summary>
    public required BlobVersion Recording { get; init; }

    /// <summary>Expected SHA-256 of the recording from the manifest, if it gave one.</summary>
    public string? Sha256 { get; init; }

    public required string Model { get; init; }

    /// <summary>Prompts, each with its output mode (target, residual or both).</summary>
    public required IReadOnlyList<PromptSpec> Prompts { get; init; }

    /// <summary>Channel selection of the item, as written in the manifest (e.g. <c>mix</c>).</summary>
    public required string Channel { get; init; }

    /// <summary>
    /// Window length in seconds, as ingestion resolved it (the item's, else the model pack's preferred length): the
    /// shard grid was planned on it, so a worker uses exactly this, never its own pack's preference.
    /// </summary>
    public required double SegmentSeconds { get; init; }

    /// <summary>Window overlap in seconds, resolved like <see cref="SegmentSeconds"/> (a preferred overlap capped at half the window).</summary>
    public required double OverlapSeconds { get; init; }

    /// <summary>
    /// <c>"zero"</c> when the manifest lets NaN or infinite samples be replaced with silence; null (omitted) means
    /// the default, fail the item. Omitted by default so messages stay the same for workers that predate it.
    /// </summary>
    public string? NonFinite { get; init; }

    /// <summary>
    /// True for faithful outputs (decision 0006: the item's <c>faithful</c>, or its forensic purpose); null (omitted)
    /// means direct, which is also how messages that predate it read.
    /// </summary>
    public bool? Faithful { get; init; }

    /// <summary>
    /// <c>"suppress"</c> when the item's steady background leaves its targets (decision 0010: the manifest's
    /// <c>background</c>); null (omitted) keeps it, which is also how messages that predate it read.
    /// </summary>
    public string? Background { get; init; }

    /// <summary>
    /// Seed of a generative model's noise (the item's, else the manifest's defaults, else 0). Messages that predate it
    /// read 0, the seed every worker used before; a model without a sampler records it and ignores it.
    /// </summary>
    public int Seed { get; init; }

    /// <summary>
    /// ODE steps of a generative model (the item's, else the manifest's defaults); null (omitted) means the model's
    /// default (16 for SAM-Audio), which is also how messages that predate it read.
    /// </summary>
    public int? Steps { get; init; }

    /// <summary>Time range the item asks for (null = start / end of the recording).</summary>
    public TimeSpan? Start { get; init; }

    /// <summary>End of the requested range, or null for the end of the recording.</summary>
    public TimeSpan? End { get; init; }

    /// <summary>The part of the recording this work item produces.</summary>
    public required ShardRange Shard { get; init; }

    /// <summary>Which attempt of the ingestion created this message; queue retries are counted by DequeueCount.</summary>
    public required AttemptInfo Attempt { get; init; }

    /// <summary>
    /// W3C trace context (<c>00-&lt;trace id&gt;-&lt;span id&gt;-&lt;flags&gt;</c>) of the ingestion that planned this work item, so the
    /// worker's trace of the shard links to it; null (omitted) when ingestion ran without telemetry. Optional: messages
    /// without it, and workers that predate it, read the same.
    /// </summary>
    [JsonPropertyName("traceparent")]
    public string? TraceParent { get; init; }
}

/// <summary>A blob at one version.</summary>
/// <param name="Container">Container name.</param>
/// <param name="Name">Blob name within the container.</param>
/// <param name="ETag">ETag of the version meant; readers pass it as If-Match.</param>
/// <param name="Size">Length in bytes, when known.</param>
public sealed record BlobVersion(string Container, string Name, string ETag, long? Size = null);

/// <summary>
/// A time range of a recording in sample frames. The worker reads
/// [<see cref="StartSample"/> - <see cref="ContextBeforeSamples"/>, <see cref="EndSample"/> + <see cref="ContextAfterSamples"/>)
/// and writes only [<see cref="StartSample"/>, <see cref="EndSample"/>). When <see cref="SampleRate"/> is null the
/// recording's duration was not known at ingestion (not WAV): the shard is the whole requested range and
/// <see cref="EndSample"/> is null.
/// </summary>
public sealed record ShardRange(int Index, int Count, int? SampleRate, long StartSample, long? EndSample,
    long ContextBeforeSamples, long ContextAfterSamples)
{
    /// <summary>Seconds of audio the shard produces ([start, end) without context), or null when the duration is unknown.</summary>
    [JsonIgnore]
    public double? AudioSeconds => SampleRate is { } rate && EndSample is { } end ? (end - StartSample) / (double)rate : null;
}

/// <summary>Attempt bookkeeping carried in the message.</summary>
/// <param name="Number">1 for the first ingestion; a manual retry sends a higher number.</param>
/// <param name="MaxAttempts">Dequeue count after which the worker moves the message to the poison queue.</param>
public sealed record AttemptInfo(int Number, int MaxAttempts);
