using Microsoft.Extensions.Logging.Abstractions;
using SamAudio.Inference.Packs;
using SamAudio.Inference.Tests.Support;

namespace SamAudio.Inference.Tests.Mask;

[Trait("Category", "Model")]
public sealed class AllPassEngineTests
{
    [Theory]
    [InlineData(160_000)]
    [InlineData(4_321)]
    [InlineData(1)]
    public async Task A_mask_of_ones_reconstructs_the_mixture_exactly_and_leaves_no_residual(int length)
    {
        await using var engine = await ModelEngines.OpenAsync(
            new ModelCatalog([]), Path.Combine(TestPaths.BandMask, "..", "allpass"), new InferenceOptions { Device = InferenceDevice.Cpu }, NullLogger.Instance);
        var batch = await engine.EncodePromptsAsync(["anything at all", "owl"]);
        float[] mixture = Signals.Noise(length, seed: 11);
        float[] targets = new float[2 * length], residuals = new float[2 * length];

        await engine.SeparateAsync(mixture, batch, targets, residuals);

        for (int p = 0; p < 2; p++)
        {
            Assert.True(Signals.PeakDifference(targets.AsSpan(p * length, length), mixture) < 1e-5);
            Assert.True(residuals.AsSpan(p * length, length).ToArray().Max(Math.Abs) < 1e-5);
        }
    }
}
