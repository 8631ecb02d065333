namespace SamAudio.Core.Manifests;

/// <summary>
/// Which signals a prompt writes: the isolated sound (<see cref="Target"/>), everything else
/// (<see cref="Residual"/>), or both. Written in manifests as <c>"target"</c>, <c>"residual"</c>, <c>"both"</c>.
/// </summary>
public enum OutputMode
{
    Target,
    Residual,
    Both,
}
