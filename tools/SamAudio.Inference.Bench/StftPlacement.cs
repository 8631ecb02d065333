using Microsoft.ML.OnnxRuntime;
using SamAudio.Inference.Dsp;
using SamAudio.Inference.Packs;

namespace SamAudio.Inference.Bench;

/// <summary>
/// Same band mask two ways: (a) STFT and magnitude in C# (the product's Stft), graph takes magnitude; (b) the graph holds
/// reflect padding, ONNX STFT (opset 17) and magnitude, and also returns the complex spectrum. The inverse STFT is
/// in C# either way (ONNX has no inverse STFT op), so it is timed once for both.
/// </summary>
internal static class StftPlacement
{
    public static void Run(string packFolder, string graphWithStft, double seconds)
    {
        var pack = ModelPack.Load(packFolder);
        int n = (int)(seconds * pack.Manifest.SampleRate);
        var stft = new Stft(pack.Manifest.Stft!.NFft, pack.Manifest.Stft.Hop);
        int bins = stft.Bins, frames = stft.Frames(n), cells = bins * frames;
        float[] x = Timing.Noise(n), re = new float[cells], im = new float[cells], magnitude = new float[cells];
        float[] mask = new float[cells], embedding = new float[384], target = new float[n];
        embedding[0] = 1;
        float[] spectrum = new float[frames * bins * 2];

        using var options = new SessionOptions { IntraOpNumThreads = 0 };
        using var inCsharp = new InferenceSession(pack.PathOf("separator.onnx"), options);
        using var inGraph = new InferenceSession(graphWithStft, options);
        using var magnitudeValue = OrtValue.CreateTensorValueFromMemory(magnitude, [1, bins, frames]);
        using var embeddingValue = OrtValue.CreateTensorValueFromMemory(embedding, [1, 384]);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, [1, bins, frames]);
        using var waveValue = OrtValue.CreateTensorValueFromMemory(x, [1, n]);
        using var spectrumValue = OrtValue.CreateTensorValueFromMemory(spectrum, [1, frames, bins, 2]);
        using var run = new RunOptions();

        double csharpStft = Timing.MedianMs(() =>
        {
            stft.Forward(x, re, im);
            for (int i = 0; i < cells; i++)
            {
                magnitude[i] = MathF.Sqrt((re[i] * re[i]) + (im[i] * im[i]));
            }
        });
        double maskOnly = Timing.MedianMs(() => inCsharp.Run(run, ["magnitude", "prompt_embedding"], [magnitudeValue, embeddingValue], ["mask"], [maskValue]));
        double graphStft = Timing.MedianMs(() =>
        {
            inGraph.Run(run, ["waveform", "prompt_embedding"], [waveValue, embeddingValue], ["mask", "spectrum"], [maskValue, spectrumValue]);
            for (int t = 0; t < frames; t++)
            {
                for (int f = 0; f < bins; f++)
                {
                    re[(f * frames) + t] = spectrum[(((t * bins) + f) * 2) + 0];
                    im[(f * frames) + t] = spectrum[(((t * bins) + f) * 2) + 1];
                }
            }
        });
        double graphRunOnly = Timing.MedianMs(() =>
            inGraph.Run(run, ["waveform", "prompt_embedding"], [waveValue, embeddingValue], ["mask", "spectrum"], [maskValue, spectrumValue]));
        double inverse = Timing.MedianMs(() => stft.Inverse(re, im, target));

        stft.Forward(x, magnitude, mask);
        double worst = 0;
        for (int i = 0; i < cells; i++)
        {
            worst = Math.Max(worst, Math.Max(Math.Abs(magnitude[i] - re[i]), Math.Abs(mask[i] - im[i])));
        }

        Console.WriteLine($"{seconds} s at {pack.Manifest.SampleRate} Hz, {frames} frames x {bins} bins, {Environment.ProcessorCount} cores, median of 15:");
        Console.WriteLine($"  (a) C# STFT+magnitude {csharpStft:F1} ms + mask graph {maskOnly:F1} ms = {csharpStft + maskOnly:F1} ms");
        Console.WriteLine($"  (b) graph with ONNX STFT+magnitude+mask, spectrum copied out: {graphStft:F1} ms (run alone {graphRunOnly:F1} ms)");
        Console.WriteLine($"  inverse STFT in C# (either way, per prompt): {inverse:F1} ms");
        Console.WriteLine($"  largest spectrum difference C# vs ONNX STFT: {worst:E2}");
    }
}
