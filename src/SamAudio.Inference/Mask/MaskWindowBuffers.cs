using Microsoft.ML.OnnxRuntime;
using SamAudio.Inference.Runtime;

namespace SamAudio.Inference.Mask;

/// <summary>
/// Everything one window shape (samples x prompts) needs: spectrum, magnitude and mask arrays and the
/// <see cref="OrtValue"/>s that wrap them without copying. The values are valid while this object lives.
/// The graph's tensors (magnitude, prompt embeddings, mask) live in 64-byte aligned buffers, so the model's
/// arithmetic never depends on where an array happened to be allocated.
/// </summary>
internal sealed class MaskWindowBuffers : IDisposable
{
    private readonly AlignedBuffer _magnitude;
    private readonly AlignedBuffer _embeddings;
    private readonly AlignedBuffer _mask;

    public MaskWindowBuffers(int samples, int prompts, int bins, int frames, float[] embeddings, int dimension)
    {
        Samples = samples;
        Prompts = prompts;
        Re = new float[bins * frames];
        Im = new float[bins * frames];
        _magnitude = new AlignedBuffer(bins * frames);
        _embeddings = new AlignedBuffer(embeddings.Length);
        embeddings.CopyTo(_embeddings.Span);
        _mask = new AlignedBuffer(prompts * bins * frames);
        MaskedRe = new float[bins * frames];
        MaskedIm = new float[bins * frames];
        var values = new List<OrtValue>(3);
        try
        {
            values.Add(OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _magnitude.Memory, [1, bins, frames]));
            values.Add(OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _embeddings.Memory, [prompts, dimension]));
            values.Add(OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _mask.Memory, [prompts, bins, frames]));
        }
        catch
        {
            values.ForEach(v => v.Dispose());
            throw;
        }

        Inputs = [values[0], values[1]];
        Outputs = [values[2]];
    }

    public int Samples { get; }

    public int Prompts { get; }

    /// <summary>The prompt embeddings the graph's second input holds now.</summary>
    public ReadOnlySpan<float> Embeddings => _embeddings.Span;

    public float[] Re { get; }

    public float[] Im { get; }

    /// <summary>|STFT| of the window, the graph's first input.</summary>
    public Span<float> Magnitude => _magnitude.Span;

    /// <summary>The graph's output, prompt-major.</summary>
    public Span<float> Mask => _mask.Span;

    public float[] MaskedRe { get; }

    public float[] MaskedIm { get; }

    /// <summary>magnitude [1, F, T] and prompt_embedding [P, D], in the graph's input order.</summary>
    public OrtValue[] Inputs { get; }

    /// <summary>mask [P, F, T], written by the run.</summary>
    public OrtValue[] Outputs { get; }

    /// <summary>True for a window of <paramref name="samples"/> and a batch of <paramref name="prompts"/> prompts.</summary>
    public bool Fits(int samples, int prompts) => samples == Samples && prompts == Prompts;

    /// <summary>
    /// Makes the graph's embedding input hold <paramref name="embeddings"/>. Every prompt batch is a new array (one per
    /// item), so buffers are kept per shape and only the values are copied when they change: a batch of thousands of
    /// items, or a worker going through shard after shard, reuses one set instead of allocating megabytes per item.
    /// </summary>
    public void Use(ReadOnlySpan<float> embeddings)
    {
        if (!embeddings.SequenceEqual(_embeddings.Span))
        {
            embeddings.CopyTo(_embeddings.Span);
        }
    }

    public void Dispose()
    {
        foreach (var value in Inputs.Concat(Outputs))
        {
            value.Dispose();
        }
    }
}
