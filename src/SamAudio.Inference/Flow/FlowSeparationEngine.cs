using System.Globalization;
using System.Numerics.Tensors;
using Microsoft.ML.OnnxRuntime;
using SamAudio.Core.Segmentation;
using SamAudio.Core.Separation;
using SamAudio.Inference.Packs;

namespace SamAudio.Inference.Flow;

/// <summary>
/// Flow family (SAM-Audio) for one window: reflect-pad to whole latent frames -> codec_encoder -> noise keyed by
/// (seed, absolute frame, channel) -> midpoint ODE from t = 0 (noise) to 1 (data) with dit_velocity, all prompts in
/// one batch -> codec_decoder of the target (channels 0-127) and residual (128-255) latents -> trimmed to the window's
/// length. Every prompt of a window starts from the same noise. One window at a time: calls must not overlap.
/// A recording longer than one window goes through <see cref="FlowMultiDiffusion"/> (<see cref="OpenSpan"/>) unless
/// <see cref="LongAudioMethod.Crossfade"/> was asked for.
/// </summary>
internal sealed class FlowSeparationEngine : ISeparationEngine
{
    private const int MaxCachedShapes = 4;

    private readonly FlowGraphs _graphs;
    private readonly FlowTextEncoder _text;
    private readonly int _seed;
    private readonly int _steps;
    private readonly LongAudioMethod _longAudio;
    private readonly RunOptions _runOptions = new();
    private readonly List<FlowWindowBuffers> _buffers = [];
    private int _busy;

    public FlowSeparationEngine(ModelPack pack, FlowGraphs graphs, FlowTextEncoder text, InferenceOptions options, string provider)
    {
        _graphs = graphs;
        _text = text;
        _seed = options.Seed;
        _steps = options.Steps;
        _longAudio = options.LongAudio;
        Description = pack.Describe(provider, [], new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["method"] = "midpoint",
            ["steps"] = _steps.ToString(CultureInfo.InvariantCulture),
            ["seed"] = _seed.ToString(CultureInfo.InvariantCulture),
            ["noise"] = FlowNoise.Name,
            ["longAudio"] = _longAudio == LongAudioMethod.MultiDiffusion ? FlowMultiDiffusion.Name : "crossfade",
        });
    }

    public EngineDescription Description { get; }

    internal FlowGraphs Graphs => _graphs;

    internal int Seed => _seed;

    internal int Steps => _steps;

    internal int TextDimension => _text.Dimension;

    public bool TakesSpanPrompts => _graphs.HasAnchors;

    /// <summary>Latent multi-diffusion across the pipeline's windows; null when waveform crossfade was asked for.</summary>
    public ISpanSeparation? OpenSpan(SegmentationOptions segmentation, PromptBatch prompts, ISeparatedSink sink)
    {
        ArgumentNullException.ThrowIfNull(segmentation);
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(sink);
        if (_longAudio != LongAudioMethod.MultiDiffusion)
        {
            return null;
        }

        CheckPrompts(prompts);
        return new FlowMultiDiffusion(this, segmentation, prompts, sink);
    }

    public ValueTask<PromptBatch> EncodePromptsAsync(IReadOnlyList<string> prompts, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_text.Encode(prompts, cancellationToken));

    public ValueTask SeparateAsync(ReadOnlyMemory<float> window, PromptBatch prompts, Memory<float> targets, Memory<float> residuals, CancellationToken cancellationToken = default) =>
        SeparateAsync(window, 0, prompts, targets, residuals, cancellationToken);

    public ValueTask SeparateAsync(
        ReadOnlyMemory<float> window, long start, PromptBatch prompts, Memory<float> targets, Memory<float> residuals, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        int n = window.Length;
        int p = prompts.Count;
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1, nameof(window));
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfLessThan(targets.Length, p * n, nameof(targets));
        ArgumentOutOfRangeException.ThrowIfLessThan(residuals.Length, p * n, nameof(residuals));
        CheckPrompts(prompts);
        cancellationToken.ThrowIfCancellationRequested();
        if (Interlocked.Exchange(ref _busy, 1) != 0)
        {
            throw new InvalidOperationException("SeparateAsync calls on one engine must not overlap; open one engine per concurrent stream.");
        }

        try
        {
            SeparateWindow(window.Span, start / FlowContract.Hop, prompts, targets.Span, residuals.Span, cancellationToken);
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }

        return ValueTask.CompletedTask;
    }

    private void SeparateWindow(ReadOnlySpan<float> window, long firstFrame, PromptBatch prompts, Span<float> targets, Span<float> residuals, CancellationToken cancellationToken)
    {
        int n = window.Length;
        int p = prompts.Count;
        int frames = (n + FlowContract.Hop - 1) / FlowContract.Hop;
        var b = BuffersFor(frames, prompts);
        FillAnchors(b, prompts, firstFrame);

        ReflectPad(window, b.Waveform.Span);
        Run(_graphs.CodecEncoder, b.EncoderInputs, b.EncoderOutputs, cancellationToken);
        int latent = frames * FlowContract.LatentChannels;
        for (int i = 0; i < p; i++)
        {
            b.Latent.Span.CopyTo(b.AudioFeatures.Span.Slice(i * latent, latent));
        }

        int state = frames * FlowContract.StateChannels;
        FlowNoise.Fill(_seed, firstFrame, FlowContract.StateChannels, b.State.Span[..state]);
        for (int i = 1; i < p; i++)
        {
            b.State.Span[..state].CopyTo(b.State.Span.Slice(i * state, state));
        }

        Integrate(b, cancellationToken);
        for (int i = 0; i < p; i++)
        {
            var x = b.State.Span.Slice(i * state, state);
            for (int t = 0; t < frames; t++)
            {
                var row = x.Slice(t * FlowContract.StateChannels, FlowContract.StateChannels);
                row[..FlowContract.LatentChannels].CopyTo(b.DecoderLatent.Span.Slice((i * latent) + (t * FlowContract.LatentChannels)));
                row[FlowContract.LatentChannels..].CopyTo(b.DecoderLatent.Span.Slice(((p + i) * latent) + (t * FlowContract.LatentChannels)));
            }
        }

        Run(_graphs.CodecDecoder, b.DecoderInputs, b.DecoderOutputs, cancellationToken);
        int samples = frames * FlowContract.Hop;
        for (int i = 0; i < p; i++)
        {
            b.Decoded.Span.Slice(i * samples, n).CopyTo(targets.Slice(i * n, n));
            b.Decoded.Span.Slice((p + i) * samples, n).CopyTo(residuals.Slice(i * n, n));
        }
    }

    /// <summary>Midpoint method: x += dt * v(x + dt/2 * v(x, t), t + dt/2), t from 0 to 1 in <see cref="_steps"/> steps.</summary>
    private void Integrate(FlowWindowBuffers b, CancellationToken cancellationToken)
    {
        float dt = 1f / _steps;
        for (int step = 0; step < _steps; step++)
        {
            float t = step * dt;
            b.Time.Span.Fill(t);
            Run(_graphs.DitVelocity, b.StateInputs, b.VelocityOutputs, cancellationToken);
            TensorPrimitives.MultiplyAdd(b.Velocity.Span, dt / 2, b.State.Span, b.Midpoint.Span);
            b.Time.Span.Fill(t + (dt / 2));
            Run(_graphs.DitVelocity, b.MidpointInputs, b.VelocityOutputs, cancellationToken);
            TensorPrimitives.MultiplyAdd(b.Velocity.Span, dt, b.State.Span, b.State.Span);
        }
    }

    /// <summary>
    /// Copies <paramref name="window"/> and continues it by reflection (without repeating the edge sample) to the
    /// destination's length; a window shorter than the padding is reflected back and forth (one sample: repeated).
    /// </summary>
    internal static void ReflectPad(ReadOnlySpan<float> window, Span<float> destination)
    {
        int n = window.Length;
        window.CopyTo(destination);
        int period = Math.Max(1, 2 * (n - 1));
        for (int i = n; i < destination.Length; i++)
        {
            int k = i % period;
            destination[i] = window[k < n ? k : period - k];
        }
    }

    /// <summary>Each prompt's anchor alignment over the <see cref="FlowWindowBuffers.Frames"/> frames from absolute frame <paramref name="firstFrame"/>.</summary>
    internal void FillAnchors(FlowWindowBuffers b, PromptBatch prompts, long firstFrame)
    {
        for (int i = 0; i < prompts.Count; i++)
        {
            FlowAnchors.Fill(prompts.Spans?[i], firstFrame, b.AnchorAlignment.AsSpan(i * b.Frames, b.Frames));
        }
    }

    private void CheckPrompts(PromptBatch prompts)
    {
        if (prompts.Spans is not null && !_graphs.HasAnchors)
        {
            throw new ArgumentException(
                $"Prompts with 'present'/'absent' spans need a pack whose dit_velocity has the {FlowContract.AnchorIds} and {FlowContract.AnchorAlignment} " +
                $"inputs; {Description.ModelId} has not (exported before span prompts): re-export it with models/sam-audio/export.py of this version, " +
                "or remove 'present' and 'absent' from the prompts.", nameof(prompts));
        }

        if (prompts.Shape.Length != 3 || prompts.Shape[2] != _text.Dimension)
        {
            throw new ArgumentException($"The prompt batch has shape [{string.Join(',', prompts.Shape)}], this engine needs [P, L, {_text.Dimension}].", nameof(prompts));
        }
    }

    internal void Run(InferenceSession session, OrtValue[] inputs, OrtValue[] outputs, CancellationToken cancellationToken)
    {
        var names = _graphs.Names[session];
        _runOptions.Terminate = false;
        using var registration = cancellationToken.Register(static o => ((RunOptions)o!).Terminate = true, _runOptions);
        try
        {
            session.Run(_runOptions, names.Inputs, inputs, names.Outputs, outputs);
        }
        catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
    }

    internal FlowWindowBuffers BuffersFor(int frames, PromptBatch prompts)
    {
        int length = prompts.Shape[1];
        var buffers = _buffers.Find(x => x.Fits(frames, prompts.Count, length));
        if (buffers is null)
        {
            if (_buffers.Count >= MaxCachedShapes)
            {
                _buffers[0].Dispose();
                _buffers.RemoveAt(0);
            }

            buffers = new FlowWindowBuffers(frames, prompts.Count, length, _text.Dimension, _graphs.HasAnchors);
            _buffers.Add(buffers);
        }

        prompts.Embeddings.CopyTo(buffers.Text.Span);
        int[] lengths = _text.Lengths(prompts);
        for (int i = 0; i < lengths.Length; i++)
        {
            var row = buffers.TextMask.AsSpan(i * length, length);
            row[..lengths[i]].Fill(1);
            row[lengths[i]..].Clear();
        }

        return buffers;
    }

    public ValueTask DisposeAsync()
    {
        _buffers.ForEach(b => b.Dispose());
        _buffers.Clear();
        _runOptions.Dispose();
        _graphs.Dispose();
        _text.Dispose();
        return ValueTask.CompletedTask;
    }
}
