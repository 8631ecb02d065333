using Microsoft.Extensions.Logging;
using SamAudio.Inference.Packs;

namespace SamAudio.Inference.Bench;

/// <summary>Per-window cost of a mask-family pack through the product engine (STFT, graph, iSTFT for every prompt).</summary>
internal static class WindowCost
{
    public static async Task RunAsync(string pack, double seconds, int promptCount, ILogger logger)
    {
        var options = new InferenceOptions { Device = InferenceDevice.Cpu };
        await using var engine = await ModelEngines.OpenAsync(new ModelCatalog([]), pack, options, logger);
        string[] prompts = [.. Enumerable.Range(0, promptCount).Select(i => i % 2 == 0 ? $"low rumble {i}" : $"high hiss {i}")];
        var batch = await engine.EncodePromptsAsync(prompts);
        int n = (int)(seconds * engine.Description.SampleRate);
        float[] window = Timing.Noise(n);
        float[] targets = new float[prompts.Length * n], residuals = new float[prompts.Length * n];

        double ms = Timing.MedianMs(() => engine.SeparateAsync(window, batch, targets, residuals).AsTask().GetAwaiter().GetResult());
        long before = GC.GetAllocatedBytesForCurrentThread();
        await engine.SeparateAsync(window, batch, targets, residuals);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Console.WriteLine($"pack {engine.Description.ModelId} on {engine.Description.ExecutionProvider}, {Environment.ProcessorCount} cores: " +
                          $"{seconds} s window ({n} samples), {prompts.Length} prompt(s): median {ms:F1} ms per window " +
                          $"({seconds * 1000 / ms:F0}x real time), {allocated} managed bytes allocated per window");
    }
}
