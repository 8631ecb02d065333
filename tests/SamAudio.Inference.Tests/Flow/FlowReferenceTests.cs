using Microsoft.Extensions.Logging.Abstractions;
using SamAudio.Inference.Flow;
using SamAudio.Inference.Packs;
using SamAudio.Inference.Tests.Support;
using Xunit.Abstractions;

namespace SamAudio.Inference.Tests.Flow;

/// <summary>
/// The C# flow runner against the PyTorch reference of the sampling loop (models/sam-audio/reference_sampler.py) on
/// the tiny pack's weights: same input, same noise, outputs within 1e-4 of their peak. The reference files in
/// Flow/Data/reference are raw little-endian float32 (see models/sam-audio/README.md); CI has no Python, so the test
/// reads what the script wrote, and a second test ties the committed noise to <see cref="FlowNoise"/>.
/// </summary>
[Trait("Category", "Model")]
public sealed class FlowReferenceTests(ITestOutputHelper output)
{
    /// <summary>The run the reference reproduces; reference_sampler.py is given the same values.</summary>
    public const int Seed = 17, Steps = 16, Samples = 2500;

    public static readonly string[] Prompts = ["a dog barking", "owl"];

    private static string Reference(string name) => Path.Combine(TestPaths.FlowData, "reference", name);

    [Fact]
    public async Task The_runner_matches_the_pytorch_reference_within_1e_4_of_its_peak()
    {
        float[] input = Read("input.f32");
        float[] expectedTargets = Read("target.f32"), expectedResiduals = Read("residual.f32");
        await using var engine = await ModelEngines.OpenAsync(new ModelCatalog([]), TestPaths.SamAudioTiny,
            new InferenceOptions { Device = InferenceDevice.Cpu, Seed = Seed, Steps = Steps }, NullLogger.Instance);
        var batch = await engine.EncodePromptsAsync(Prompts);
        float[] targets = new float[Prompts.Length * Samples], residuals = new float[Prompts.Length * Samples];

        await engine.SeparateAsync(input, 0, batch, targets, residuals);

        foreach (var (actual, expected) in new[] { (targets, expectedTargets), (residuals, expectedResiduals) })
        {
            float peak = expected.Max(MathF.Abs);
            Assert.True(peak > 1e-3, $"the reference is silent (peak {peak})");
            double error = Signals.PeakDifference(actual, expected);
            output.WriteLine($"max abs error {error:g3}, peak {peak:g4}, error / peak {error / peak:g3}");
            Assert.True(error <= 1e-4 * peak, $"max abs error {error:g3} is {error / peak:g3} of the peak {peak:g3}");
        }
    }

    [Fact]
    public void The_committed_noise_is_what_flow_noise_gives_the_runner()
    {
        float[] noise = new float[Frames * FlowContract.StateChannels];
        FlowNoise.Fill(Seed, 0, FlowContract.StateChannels, noise);

        Assert.Equal(noise, Read("noise.f32"));
    }

    /// <summary>
    /// Writes the reference's inputs (input.f32: the waveform, noise.f32: [frames, 256] from <see cref="FlowNoise"/>)
    /// into the folder named by SAMAUDIO_WRITE_FLOW_REFERENCE; does nothing without it. See models/sam-audio/README.md.
    /// </summary>
    [Fact]
    public void Write_reference_inputs_when_asked()
    {
        if (Environment.GetEnvironmentVariable("SAMAUDIO_WRITE_FLOW_REFERENCE") is not { Length: > 0 } folder)
        {
            return;
        }

        Directory.CreateDirectory(folder);
        float[] noise = new float[Frames * FlowContract.StateChannels];
        FlowNoise.Fill(Seed, 0, FlowContract.StateChannels, noise);
        Write(Path.Combine(folder, "noise.f32"), noise);
        Write(Path.Combine(folder, "input.f32"), Signals.Tones(Samples, 48_000, (440, 0.3), (3000, 0.1)).Zip(Signals.Noise(Samples, seed: 3), (a, b) => a + (0.05f * b)).ToArray());
    }

    private static int Frames => (Samples + FlowContract.Hop - 1) / FlowContract.Hop;

    private static float[] Read(string name)
    {
        byte[] bytes = File.ReadAllBytes(Reference(name));
        float[] values = new float[bytes.Length / sizeof(float)];
        Buffer.BlockCopy(bytes, 0, values, 0, values.Length * sizeof(float));
        return values;
    }

    private static void Write(string path, float[] values)
    {
        byte[] bytes = new byte[values.Length * sizeof(float)];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        File.WriteAllBytes(path, bytes);
    }
}
