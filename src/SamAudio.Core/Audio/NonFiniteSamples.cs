namespace SamAudio.Core.Audio;

/// <summary>
/// What to do with a decoded sample that is NaN or infinite (only float WAV/RF64 can hold one). Written in
/// manifests as <c>"nonFinite": "fail"</c> (the default) or <c>"zero"</c>.
/// </summary>
public enum NonFiniteSamples
{
    /// <summary>The item fails, naming the file and the time of the first such sample; nothing is written.</summary>
    Fail,

    /// <summary>Each such sample is replaced with 0 (silence); the count and the first time become a warning in run.json.</summary>
    Zero,
}
