namespace SamAudio.Core.Separation;

/// <summary>
/// A time span of the recording where a prompt's sound is known to be present (<see cref="Present"/>) or absent:
/// SAM-Audio's anchors (<c>"+"</c> / <c>"-"</c>). Seconds of recording time, <see cref="Start"/> inclusive,
/// <see cref="End"/> exclusive; the manifest checks <c>Start &lt; End</c> and that present and absent spans of one
/// prompt do not overlap.
/// </summary>
public readonly record struct PromptSpan(double Start, double End, bool Present);
