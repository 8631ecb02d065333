using System.Numerics.Tensors;
using Microsoft.ML.OnnxRuntime;
using SamAudio.Core.Separation;
using SamAudio.Inference.Dsp;
using SamAudio.Inference.Packs;
using SamAudio.Inference.Text;

namespace SamAudio.Inference.Mask;

/// <summary>
/// Mask family: STFT in C# -> magnitude [1, F, T] and prompt embeddings [P, D] -> separator graph -> mask [P, F, T]
/// in [0, 1] -> mask x complex STFT -> inverse STFT (exact length) = target; residual = mixture - target.
/// All prompts of a window go through one run. Buffers and <see cref="OrtValue"/>s are kept per window shape.
/// One window at a time: calls must not overlap.
/// </summary>
internal sealed class MaskSeparationEngine : ISeparationEngine
{
    private const int MaxCachedShapes = 4;

    private readonly InferenceSession _session;
    private readonly SessionOptions _sessionOptions;
    private readonly IPromptEncoder _encoder;
    private readonly PromptEmbeddingCache _cache;
    private readonly Stft _stft;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly RunOptions _runOptions = new();
    private readonly List<MaskWindowBuffers> _buffers = [];
    private int _busy;

    public MaskSeparationEngine(
        ModelPack pack, InferenceSession separator, SessionOptions sessionOptions, IPromptEncoder encoder, PromptVocabulary? vocabulary, string provider)
    {
        ArgumentNullException.ThrowIfNull(pack);
        _session = separator;
        _sessionOptions = sessionOptions;
        _encoder = encoder;
        _cache = new PromptEmbeddingCache(encoder, vocabulary);
        var stft = pack.Manifest.Stft!;
        _stft = new Stft(stft.NFft, stft.Hop);
        var graph = pack.Graph("separator");
        _inputNames = [graph.Inputs[0], graph.Inputs[1]];
        _outputNames = [graph.Outputs[0]];
        Description = pack.Describe(provider, encoder.Files);
    }

    public EngineDescription Description { get; }

    public ValueTask<PromptBatch> EncodePromptsAsync(IReadOnlyList<string> prompts, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_cache.Encode(prompts, cancellationToken));

    public ValueTask SeparateAsync(
        ReadOnlyMemory<float> window,
        PromptBatch prompts,
        Memory<float> targets,
        Memory<float> residuals,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        int n = window.Length;
        int p = prompts.Count;
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1, nameof(window));
        ArgumentOutOfRangeException.ThrowIfLessThan(p, 1, nameof(prompts));
        ArgumentOutOfRangeException.ThrowIfLessThan(targets.Length, p * n, nameof(targets));
        ArgumentOutOfRangeException.ThrowIfLessThan(residuals.Length, p * n, nameof(residuals));
        if (prompts.Shape.Length != 2 || prompts.Shape[1] != _encoder.Dimension)
        {
            throw new ArgumentException($"The prompt batch has shape [{string.Join(',', prompts.Shape)}], this engine needs [P, {_encoder.Dimension}].", nameof(prompts));
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (Interlocked.Exchange(ref _busy, 1) != 0)
        {
            throw new InvalidOperationException("SeparateAsync calls on one engine must not overlap; open one engine per concurrent stream.");
        }

        try
        {
            SeparateWindow(window.Span, prompts, targets.Span, residuals.Span, cancellationToken);
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }

        return ValueTask.CompletedTask;
    }

    private void SeparateWindow(ReadOnlySpan<float> window, PromptBatch prompts, Span<float> targets, Span<float> residuals, CancellationToken cancellationToken)
    {
        int n = window.Length;
        var buffers = BuffersFor(n, prompts);
        _stft.Forward(window, buffers.Re, buffers.Im);
        Magnitude(buffers.Re, buffers.Im, buffers.Magnitude);
        Run(buffers, cancellationToken);

        // The contract says [0, 1]; holding a graph to it keeps every target within the mixture's energy.
        TensorPrimitives.Clamp(buffers.Mask, 0f, 1f, buffers.Mask);
        int cells = buffers.Re.Length;
        for (int i = 0; i < prompts.Count; i++)
        {
            var mask = buffers.Mask.Slice(i * cells, cells);
            TensorPrimitives.Multiply(buffers.Re, mask, buffers.MaskedRe);
            TensorPrimitives.Multiply(buffers.Im, mask, buffers.MaskedIm);
            var target = targets.Slice(i * n, n);
            _stft.Inverse(buffers.MaskedRe, buffers.MaskedIm, target);
            TensorPrimitives.Subtract(window, target, residuals.Slice(i * n, n));
        }
    }

    private void Run(MaskWindowBuffers buffers, CancellationToken cancellationToken)
    {
        _runOptions.Terminate = false;
        using var registration = cancellationToken.Register(static o => ((RunOptions)o!).Terminate = true, _runOptions);
        try
        {
            _session.Run(_runOptions, _inputNames, buffers.Inputs, _outputNames, buffers.Outputs);
        }
        catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
    }

    private static void Magnitude(ReadOnlySpan<float> re, ReadOnlySpan<float> im, Span<float> magnitude)
    {
        TensorPrimitives.Multiply(re, re, magnitude);
        TensorPrimitives.MultiplyAdd(im, im, magnitude, magnitude);
        TensorPrimitives.Sqrt(magnitude, magnitude);
    }

    private MaskWindowBuffers BuffersFor(int samples, PromptBatch prompts)
    {
        foreach (var existing in _buffers)
        {
            if (existing.Fits(samples, prompts.Count))
            {
                existing.Use(prompts.Embeddings);
                return existing;
            }
        }

        if (_buffers.Count >= MaxCachedShapes)
        {
            _buffers[0].Dispose();
            _buffers.RemoveAt(0);
        }

        var created = new MaskWindowBuffers(samples, prompts.Count, _stft.Bins, _stft.Frames(samples), prompts.Embeddings, _encoder.Dimension);
        _buffers.Add(created);
        return created;
    }

    public ValueTask DisposeAsync()
    {
        _buffers.ForEach(b => b.Dispose());
        _buffers.Clear();
        _runOptions.Dispose();
        _session.Dispose();
        _sessionOptions.Dispose();
        _encoder.Dispose();
        return ValueTask.CompletedTask;
    }
}
