using SamAudio.Core.Audio;
using SamAudio.Core.Dsp;
using SamAudio.Core.Manifests;
using SamAudio.Core.Pipeline;
using SamAudio.Core.Segmentation;
using SamAudio.Storage.WorkItems;

namespace SamAudio.Worker.Processing;

/// <summary>How a work item's fields map onto the pipeline's request: prompts, channel, windows and the span.</summary>
internal static class WorkItemShards
{
    public static IReadOnlyList<ItemPrompt> Prompts(WorkItem item) =>
        item.Prompts.Select(p => new ItemPrompt(p.Text, p.Slug, p.Output != OutputMode.Residual, p.Output != OutputMode.Target) { Spans = p.Spans ?? [] }).ToList();

    /// <summary>The item's range in frames of <paramref name="info"/>, resolved as the local run resolves it.</summary>
    public static (long Start, long End) ItemRange(WorkItem item, AudioFileInfo info)
    {
        var (start, end, _) = ItemFrames.Resolve(item.Start, item.End, info.SampleRate, info.Frames);
        if (start >= end)
        {
            throw new InvalidDataException($"item '{item.ItemId}': the range {item.Start}-{item.End} holds no audio in a recording of {info.Frames} frames.");
        }

        return (start, end);
    }

    /// <summary>
    /// The span the work item asks for, checked against the recording: a shard planned for another rate or length
    /// means the recording is not the one ingested.
    /// </summary>
    public static ShardSpan Span(WorkItem item, AudioFileInfo info)
    {
        var (start, end) = ItemRange(item, info);
        var shard = item.Shard;
        if (shard.SampleRate is null)
        {
            return ShardSpan.Whole(start, end);
        }

        if (shard.SampleRate != info.SampleRate || shard.EndSample is not { } shardEnd || shard.StartSample < start || shardEnd > end
            || shard.StartSample - shard.ContextBeforeSamples < start || shardEnd + shard.ContextAfterSamples > end)
        {
            throw new InvalidDataException(
                $"work item {item.Id} was planned for a {shard.SampleRate} Hz recording with frames {shard.StartSample}-{shard.EndSample}, but '{item.Recording.Name}' " +
                $"has {info.Frames} frames at {info.SampleRate} Hz; ingest the manifest again.");
        }

        return new ShardSpan(shard.Index, shard.Count, shard.StartSample, shardEnd, shard.StartSample - shard.ContextBeforeSamples, shardEnd + shard.ContextAfterSamples);
    }

    public static ShardRequest Request(WorkItem item, ShardSpan span) => new()
    {
        Prompts = Prompts(item),
        Channel = ChannelSelection.Parse(item.Channel),
        SegmentSeconds = item.SegmentSeconds,
        OverlapSeconds = item.OverlapSeconds,
        OutputRate = OutputRateMode.Source,
        Faithful = Faithful(item),
        Background = Background(item),
        RecordingName = item.Recording.Name,
        NonFinite = NonFinite(item),
        Span = span,
    };

    /// <summary>Whether the work item asks for faithful outputs; an absent value is direct, as before the field existed.</summary>
    public static bool Faithful(WorkItem item) => item.Faithful == true;

    /// <summary>The background suppression the work item asks for: null (keep) when absent, as before the field existed.</summary>
    /// <exception cref="InvalidDataException">A value this worker does not know: it would not write what was asked.</exception>
    public static BackgroundSuppressionOptions? Background(WorkItem item) => item.Background switch
    {
        null or "keep" => null,
        "suppress" => BackgroundSuppressionOptions.Default,
        var other => throw new InvalidDataException($"work item {item.Id} asks for background '{other}', which this worker does not know ('keep' or 'suppress'); run a worker of the version that ingested it."),
    };

    /// <summary>The work item's choice for NaN or infinite samples; an absent or unknown value keeps the safe default, fail.</summary>
    public static NonFiniteSamples NonFinite(WorkItem item) => item.NonFinite == "zero" ? NonFiniteSamples.Zero : NonFiniteSamples.Fail;

    /// <summary>The ids of every shard of the item, in order (ids are deterministic; see <see cref="WorkItemId"/>).</summary>
    public static IReadOnlyList<string> SiblingIds(WorkItem item) =>
        Enumerable.Range(0, item.Shard.Count).Select(i => WorkItemId.Create(item.Manifest.ETag, item.ItemIndex, i)).ToList();

    /// <summary>Blob name of one of the item's outputs in the jobs container, as <c>samaudio batch</c> lays it out.</summary>
    public static string OutputBlob(WorkItem item, string fileName) => $"{item.JobId}/{item.ItemId}/{fileName}";
}
