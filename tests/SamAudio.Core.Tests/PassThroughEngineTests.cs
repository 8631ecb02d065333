using SamAudio.Core.Separation;

namespace SamAudio.Core.Tests;

public sealed class PassThroughEngineTests
{
    [Fact]
    public async Task Separate_copies_the_window_into_every_target_and_silences_residuals()
    {
        await using var engine = new PassThroughEngine();
        var prompts = await engine.EncodePromptsAsync(["a", "b"]);
        float[] window = [0.5f, -0.25f, 1f];
        var targets = new float[6];
        var residuals = Enumerable.Repeat(9f, 6).ToArray();

        await engine.SeparateAsync(window, prompts, targets, residuals);

        Assert.Equal([0.5f, -0.25f, 1f, 0.5f, -0.25f, 1f], targets);
        Assert.All(residuals, r => Assert.Equal(0f, r));
    }
}
