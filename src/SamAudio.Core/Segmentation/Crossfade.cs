namespace SamAudio.Core.Segmentation;

/// <summary>
/// Complementary raised-cosine crossfade: <c>FadeIn[i] + FadeOut[i] == 1</c> for every sample of the overlap,
/// so overlap-add of identical signals reproduces them (amplitude-complementary, not power-complementary,
/// because neighbouring windows of one model output are strongly correlated).
/// </summary>
public sealed class Crossfade
{
    public Crossfade(int overlapSamples)
    {
        FadeIn = new float[overlapSamples];
        FadeOut = new float[overlapSamples];
        for (int i = 0; i < overlapSamples; i++)
        {
            double s = Math.Sin(0.5 * Math.PI * (i + 0.5) / overlapSamples);
            FadeIn[i] = (float)(s * s);
            FadeOut[i] = 1f - FadeIn[i];
        }
    }

    public float[] FadeIn { get; }

    public float[] FadeOut { get; }
}
