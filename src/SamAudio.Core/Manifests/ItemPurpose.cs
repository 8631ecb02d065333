namespace SamAudio.Core.Manifests;

/// <summary>
/// What an item's output is for. Written in manifests as <c>"purpose": "general"</c> (the default) or
/// <c>"forensic"</c>; a forensic item refuses options that would alter the recording's samples
/// (<c>"nonFinite": "zero"</c>).
/// </summary>
public enum ItemPurpose
{
    General,
    Forensic,
}
