using SamAudio.Core.Separation;

namespace SamAudio.Inference.Flow;

/// <summary>
/// Span prompts as SAM-Audio's anchors (upstream <c>sam_audio/processor.py</c>, <c>Batch.process_anchors</c>): every
/// prompt gets the id row <see cref="Ids"/> and, per latent frame, the index of its id: 0 (<c>&lt;null&gt;</c>, no
/// claim), <see cref="Present"/> (<c>"+"</c>) or <see cref="Absent"/> (<c>"-"</c>). The DiT adds
/// <c>embed(ids[alignment])</c> per frame, so this is what upstream's per-span id lists give each frame; a prompt
/// without spans gets alignment 0 everywhere, upstream's text-only default. Frames are absolute in the recording.
/// </summary>
internal static class FlowAnchors
{
    /// <summary><c>&lt;null&gt;</c> 0, <c>&lt;pad&gt;</c> 3, <c>"+"</c> 1, <c>"-"</c> 2 (graph_contract.ANCHOR_IDS).</summary>
    public static readonly long[] Ids = [0, 3, 1, 2];

    public const long Present = 2;

    public const long Absent = 3;

    /// <summary>
    /// The first latent frame at or after <paramref name="seconds"/>: upstream's <c>ceil(seconds x 48000 / 1920)</c>, with
    /// the time first rounded to a whole sample. A span [start, end) covers the frames whose first sample lies in it.
    /// </summary>
    public static long Frame(double seconds)
    {
        long sample = (long)Math.Round(seconds * FlowContract.SampleRate, MidpointRounding.AwayFromZero);
        return (sample + FlowContract.Hop - 1) / FlowContract.Hop;
    }

    /// <summary>Writes the alignment of frames <paramref name="firstFrame"/> onwards (one per element) for <paramref name="spans"/>.</summary>
    public static void Fill(IReadOnlyList<PromptSpan>? spans, long firstFrame, Span<long> alignment)
    {
        alignment.Clear();
        if (spans is null)
        {
            return;
        }

        long end = firstFrame + alignment.Length;
        for (int i = 0; i < spans.Count; i++)
        {
            var span = spans[i];
            long from = Math.Max(Frame(span.Start), firstFrame), to = Math.Min(Frame(span.End), end);
            if (from < to)
            {
                alignment[(int)(from - firstFrame)..(int)(to - firstFrame)].Fill(span.Present ? Present : Absent);
            }
        }
    }
}
