using System.Numerics.Tensors;
using SamAudio.Core.Segmentation;
using SamAudio.Core.Separation;

namespace SamAudio.Inference.Flow;

/// <summary>
/// Latent multi-diffusion over a whole span (docs/decisions/0005-flow-multi-diffusion.md): one ODE whose state covers
/// every latent frame of the span, started from the global noise (<see cref="FlowNoise"/>, keyed by absolute frame);
/// at every evaluation (two per midpoint step) each of the pipeline's windows gets the state over its frames and its
/// own latent, and the velocities of overlapping windows are blended with the raised-cosine weights of
/// <see cref="Crossfade"/> over the overlap (1 where one window covers a frame). The final state is decoded window by
/// window and the waveforms crossfaded as the pipeline would.
/// <para>
/// Wavefront schedule: stage <c>j</c> (evaluation <c>j</c> of <c>2 x steps</c>) runs window <c>m</c> as soon as stage
/// <c>j - 1</c> has finished every frame of it, deepest stage first, so each stage trails the one before by about a
/// window and the state is held in rings of a few windows: memory does not grow with the span. Every frame sums the
/// same windows in the same order whatever the schedule, so the bytes are those of one solve over the whole span, and
/// a span of one window gives the single-window path's bytes (weights exactly 1, the same tensor operations).
/// </para>
/// </summary>
internal sealed class FlowMultiDiffusion : ISpanSeparation
{
    /// <summary>Names the method and blend in provenance; change it whenever the output changes.</summary>
    public const string Name = "multidiffusion/raised-cosine/1";

    private readonly FlowSeparationEngine _engine;
    private readonly ISeparatedSink _sink;
    private readonly PromptBatch _prompts;
    private readonly FlowWindowBuffers _b;
    private readonly int _p, _w, _hop, _wf, _hf, _stages, _slots;
    private readonly long _firstFrame;
    private readonly float _dt;
    private readonly Crossfade _frameFade, _sampleFade;
    private readonly FlowFrameRing[] _y;     // _y[j]: the state entering stage j; _y[2 * steps]: the final latent
    private readonly long[] _final;          // frames of _y[j] that are final (every window has added to them)
    private readonly int[] _next;            // next window stage j evaluates
    private readonly float[][] _latents, _mixtures;
    private readonly float[] _accTargets, _accResiduals, _outTargets, _outResiduals;
    private int _windows, _decoded, _last = -1, _lastValid;
    private long _emitted;

    public FlowMultiDiffusion(FlowSeparationEngine engine, SegmentationOptions segmentation, PromptBatch prompts, ISeparatedSink sink)
    {
        int w = segmentation.WindowSamples, overlap = segmentation.OverlapSamples;
        if (w % FlowContract.Hop != 0 || overlap % FlowContract.Hop != 0)
        {
            throw new ArgumentException(
                $"multi-diffusion needs windows and overlaps of whole latent frames ({FlowContract.Hop} samples, 0.04 s); the window is {w} samples " +
                $"with {overlap} of overlap: choose multiples of 0.04 s or the crossfade method (--long-audio crossfade)", nameof(segmentation));
        }

        _engine = engine;
        _sink = sink;
        _prompts = prompts;
        _p = prompts.Count;
        _w = w;
        _hop = segmentation.HopSamples;
        _wf = w / FlowContract.Hop;
        _hf = _hop / FlowContract.Hop;
        int of = _wf - _hf;
        _stages = 2 * engine.Steps;
        _dt = 1f / engine.Steps;
        _firstFrame = segmentation.StartSample / FlowContract.Hop;
        _frameFade = new Crossfade(of);
        _sampleFade = new Crossfade(overlap);
        _b = engine.BuffersFor(_wf, prompts);

        // A stage runs window m once the stage before has run m + lag - 1 (lag = ceil(wf / hf): a window waits until
        // the next one's head is final), so the decoder trails the newest window by about 2 x steps + lag windows
        // (the window slots hold the latent and mixture that long). A ring holds its state from the oldest frame still read to the newest being summed: for a midpoint
        // (odd) stage its own next window to the frontier, about two stages' lag; for a full step (even) also the base
        // of the step after it, about four.
        int lag = (_wf + _hf - 1) / _hf;
        _slots = _stages + (2 * lag) + 4;
        _y = new FlowFrameRing[_stages + 1];
        for (int j = 0; j <= _stages; j++)
        {
            int capacity = ((((j & 1) == 0 ? 4 : 2) * lag) + 3) * _hf + (2 * _wf);
            _y[j] = new FlowFrameRing(_p, capacity, FlowContract.StateChannels);
        }

        _final = new long[_stages + 1];
        _next = new int[_stages];
        _latents = new float[_slots][];
        _mixtures = new float[_slots][];
        for (int i = 0; i < _slots; i++)
        {
            _latents[i] = new float[_wf * FlowContract.LatentChannels];
            _mixtures[i] = new float[w];
        }

        _accTargets = new float[_p * w];
        _accResiduals = new float[_p * w];
        _outTargets = new float[_p * w];
        _outResiduals = new float[_p * w];
    }

    /// <summary>Bytes this solve holds besides the model's own buffers; fixed by the window, steps and prompts.</summary>
    public long StateBytes =>
        _y.Sum(r => r.Bytes) + ((long)_slots * (_wf * FlowContract.LatentChannels + _w) * sizeof(float)) + (4L * _p * _w * sizeof(float));

    public ValueTask<long> AddWindowAsync(ReadOnlyMemory<float> window, int valid, bool last, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ArgumentOutOfRangeException.ThrowIfNotEqual(window.Length, _w, nameof(window));
        ArgumentOutOfRangeException.ThrowIfLessThan(valid, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(valid, _w);
        if (_last >= 0)
        {
            throw new InvalidOperationException("The span has had its last window.");
        }

        int k = _windows;
        if (k >= _slots && _decoded <= k - _slots)
        {
            throw new InvalidOperationException($"Multi-diffusion fell {k - _decoded} windows behind its {_slots} slots; this is a bug.");
        }

        int slot = k % _slots;
        window.Span.CopyTo(_mixtures[slot]);
        FlowSeparationEngine.ReflectPad(window.Span, _b.Waveform.Span);
        _engine.Run(_engine.Graphs.CodecEncoder, _b.EncoderInputs, _b.EncoderOutputs, cancellationToken);
        _b.Latent.Span.CopyTo(_latents[slot]);
        DrawNoise(End(k));
        _windows++;
        if (last)
        {
            _last = k;
            _lastValid = valid;
        }

        Advance(cancellationToken);
        return ValueTask.FromResult(_emitted);
    }

    private long End(int window) => ((long)window * _hf) + _wf;

    /// <summary>Runs every evaluation and decode whose inputs are final, deepest stage first, one window per stage per pass.</summary>
    private void Advance(CancellationToken cancellationToken)
    {
        bool progressed;
        do
        {
            progressed = false;
            while (_decoded < _windows && _final[_stages] >= End(_decoded))
            {
                Decode(_decoded++, cancellationToken);
                progressed = true;
            }

            // One window per stage per pass: after the last window a stage that could run to the end must not run far
            // ahead of the stage after it, whose ring would have to hold the whole gap.
            for (int j = _stages - 1; j >= 0; j--)
            {
                if (_next[j] < _windows && _final[j] >= End(_next[j]))
                {
                    Evaluate(j, _next[j]++, cancellationToken);
                    progressed = true;
                }
            }
        }
        while (progressed);
    }

    /// <summary>The initial state: the global noise of frames up to <paramref name="end"/>, the same for every prompt.</summary>
    private void DrawNoise(long end)
    {
        CheckRoom(0, end);
        var y = _y[0];
        for (long f = _final[0]; f < end;)
        {
            var run = y.Run(0, f, end - f, out int n);
            FlowNoise.Fill(_engine.Seed, _firstFrame + f, FlowContract.StateChannels, run);
            for (int p = 1; p < _p; p++)
            {
                run.CopyTo(y.Run(p, f, n, out _));
            }

            f += n;
        }

        _final[0] = end;
    }

    /// <summary>
    /// Stage <paramref name="j"/> on window <paramref name="m"/>: the velocity of the state entering the stage, added
    /// with its blend weight; the frames no later window touches become the next stage's state (the midpoint method:
    /// even stages give x + dt/2 v at t, odd stages x + dt v at t + dt/2, x being the state of the even stage before).
    /// </summary>
    private void Evaluate(int j, int m, CancellationToken cancellationToken)
    {
        int step = j / 2;
        bool even = (j & 1) == 0;
        float t = step * _dt;
        float c = even ? _dt / 2 : _dt;
        long start = (long)m * _hf;
        int latent = _wf * FlowContract.LatentChannels;
        for (int p = 0; p < _p; p++)
        {
            _latents[m % _slots].CopyTo(_b.AudioFeatures.Span.Slice(p * latent, latent));
        }

        _y[j].CopyTo(start, _wf, _b.State.Span);
        _engine.FillAnchors(_b, _prompts, _firstFrame + start);
        _b.Time.Span.Fill(even ? t : t + (_dt / 2));
        _engine.Run(_engine.Graphs.DitVelocity, _b.StateInputs, _b.VelocityOutputs, cancellationToken);

        var sum = _y[j + 1];
        CheckRoom(j + 1, start + _wf);
        bool last = m == _last;
        int headEnd = m == 0 ? 0 : _wf - _hf;
        int tailStart = last ? _wf : _hf;
        int rows = _wf * FlowContract.StateChannels;
        for (int p = 0; p < _p; p++)
        {
            var v = _b.Velocity.Span.Slice(p * rows, rows);
            for (int i = 0; i < _wf; i++)
            {
                var vi = v.Slice(i * FlowContract.StateChannels, FlowContract.StateChannels);
                var row = sum.Row(p, start + i);
                if (i < headEnd)
                {
                    TensorPrimitives.MultiplyAdd(vi, _frameFade.FadeIn[i], row, row);
                }
                else if (i >= tailStart)
                {
                    TensorPrimitives.Multiply(vi, _frameFade.FadeOut[i - _hf], row);
                }
                else
                {
                    vi.CopyTo(row);
                }
            }
        }

        long final = last ? start + _wf : start + _hf;
        var x = _y[even ? j : j - 1];
        for (int p = 0; p < _p; p++)
        {
            for (long f = _final[j + 1]; f < final;)
            {
                // The rings differ in size, so each run stops where either of them wraps.
                var acc = sum.Run(p, f, final - f, out int n);
                var xs = x.Run(p, f, n, out int taken);
                TensorPrimitives.MultiplyAdd(acc[..xs.Length], c, xs, acc[..xs.Length]);
                f += taken;
            }
        }

        _final[j + 1] = final;
    }

    /// <summary>Decodes window <paramref name="m"/> of the final latent, crossfades it onto the one before and writes the finished hop.</summary>
    private void Decode(int m, CancellationToken cancellationToken)
    {
        int latent = _wf * FlowContract.LatentChannels;
        var decoderLatent = _b.DecoderLatent.Span;
        long start = (long)m * _hf;
        for (int p = 0; p < _p; p++)
        {
            for (int i = 0; i < _wf; i++)
            {
                var row = _y[_stages].Row(p, start + i);
                row[..FlowContract.LatentChannels].CopyTo(decoderLatent.Slice((p * latent) + (i * FlowContract.LatentChannels)));
                row[FlowContract.LatentChannels..].CopyTo(decoderLatent.Slice(((_p + p) * latent) + (i * FlowContract.LatentChannels)));
            }
        }

        _engine.Run(_engine.Graphs.CodecDecoder, _b.DecoderInputs, _b.DecoderOutputs, cancellationToken);
        bool first = m == 0, last = m == _last;
        int count = last ? _lastValid : _hop;
        for (int p = 0; p < _p; p++)
        {
            Accumulate(_b.Decoded.Span.Slice(p * _w, _w), _accTargets.AsSpan(p * _w, _w), first, last);
            Accumulate(_b.Decoded.Span.Slice((_p + p) * _w, _w), _accResiduals.AsSpan(p * _w, _w), first, last);
            _accTargets.AsSpan(p * _w, count).CopyTo(_outTargets.AsSpan(p * count, count));
            _accResiduals.AsSpan(p * _w, count).CopyTo(_outResiduals.AsSpan(p * count, count));
            Shift(_accTargets.AsSpan(p * _w, _w));
            Shift(_accResiduals.AsSpan(p * _w, _w));
        }

        _sink.Write(_mixtures[m % _slots].AsSpan(0, count), _outTargets.AsSpan(0, _p * count), _outResiduals.AsSpan(0, _p * count), count);
        _emitted += count;
    }

    /// <summary>As the pipeline's overlap-add: no fade-in on the first window, no fade-out on the last.</summary>
    private void Accumulate(ReadOnlySpan<float> output, Span<float> acc, bool first, bool last)
    {
        int headEnd = first ? 0 : _w - _hop;
        int tailStart = last ? _w : _hop;
        if (headEnd > 0)
        {
            TensorPrimitives.FusedMultiplyAdd(output[..headEnd], _sampleFade.FadeIn, acc[..headEnd], acc[..headEnd]);
        }

        output[headEnd..tailStart].CopyTo(acc[headEnd..tailStart]);
        if (tailStart < _w)
        {
            TensorPrimitives.Multiply(output[tailStart.._w], _sampleFade.FadeOut, acc[tailStart.._w]);
        }
    }

    private void Shift(Span<float> acc)
    {
        int overlap = _w - _hop;
        acc.Slice(_hop, overlap).CopyTo(acc);
        acc[overlap..].Clear();
    }

    /// <summary>Throws when writing ring <paramref name="r"/> up to <paramref name="end"/> would overwrite a frame still needed.</summary>
    private void CheckRoom(int r, long end)
    {
        long low = _final[r];
        if (r < _stages)
        {
            low = Math.Min(low, (long)_next[r] * _hf);
        }

        if ((r & 1) == 0 && r + 2 <= _stages)
        {
            low = Math.Min(low, _final[r + 2]);
        }

        if (r == _stages)
        {
            low = Math.Min(low, (long)_decoded * _hf);
        }

        if (end - low > _y[r].Capacity)
        {
            throw new InvalidOperationException($"Multi-diffusion stage {r} needs frames {low}-{end}, more than its ring of {_y[r].Capacity}; this is a bug. next [{string.Join(",", _next)}] final [{string.Join(",", _final)}] decoded {_decoded}");
        }
    }

    /// <summary>The model's buffers belong to the engine; the rings are managed memory.</summary>
    public void Dispose()
    {
    }
}
