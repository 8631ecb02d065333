using System.Numerics.Tensors;
using NAudio.Wave;
using SamAudio.Core.Audio;
using SamAudio.Core.Dsp;

namespace SamAudio.Core.Pipeline;

/// <summary>
/// The faithful outputs of one prompt (docs/decisions/0006-faithful-mode.md): the generated target and residual (model
/// rate) are brought to the output rate on a thread of their own, their ratio mask is applied to the mixture's STFT
/// there (<see cref="ComplementaryMaskStft"/>), and the faithful target and residual (mixture minus that target) are
/// written, so target + residual is the mixture to float rounding and the target only attenuates what was recorded.
/// <para>
/// <c>mixture</c> is the selected mixture at the output rate (<see cref="MixtureTap"/>) starting at the same frame as the
/// model-rate streams, absolute frame <c>firstFrame</c> of the recording at that rate; the STFT frames sit on multiples
/// of the hop counted from the recording's first frame, so a shard meets the whole run's frames. Of the stream, the first
/// <c>skipFrames</c> (a shard's context) are dropped and <c>frames</c> are written. Queues are bounded rings owned
/// here; nothing is allocated per window. Once done, or failed, it completes its queues so no writer waits on them.
/// </para>
/// </summary>
internal sealed class FaithfulOutputs : IPromptOutputs
{
    private readonly QueuedSampleSource _targetIn;
    private readonly QueuedSampleSource _residualIn;
    private readonly QueuedSampleSource _mixture;
    private readonly ISampleWriter? _targetWriter;
    private readonly ISampleWriter? _residualWriter;
    private readonly int _modelRate;
    private readonly int _rate;
    private readonly long _firstFrame;
    private readonly long _skip;
    private readonly long _frames;
    private readonly Task _pump;
    private Task? _completion;
    private Exception? _failure;
    private bool _abandoned;
    private bool _disposed;

    public FaithfulOutputs(ISampleWriter? target, ISampleWriter? residual, int modelRate, int outputRate, QueuedSampleSource mixture,
        long firstFrame, long skipFrames, long frames, int queueSamples)
    {
        ArgumentNullException.ThrowIfNull(mixture);
        ArgumentOutOfRangeException.ThrowIfNegative(firstFrame);
        ArgumentOutOfRangeException.ThrowIfNegative(skipFrames);
        ArgumentOutOfRangeException.ThrowIfNegative(frames);
        if (mixture.WaveFormat.SampleRate != outputRate)
        {
            throw new ArgumentException($"the mixture is at {mixture.WaveFormat.SampleRate} Hz, the outputs at {outputRate} Hz", nameof(mixture));
        }

        _targetWriter = target;
        _residualWriter = residual;
        _modelRate = modelRate;
        _rate = outputRate;
        _mixture = mixture;
        _firstFrame = firstFrame;
        _skip = skipFrames;
        _frames = frames;
        _targetIn = new QueuedSampleSource(modelRate, queueSamples);
        _residualIn = new QueuedSampleSource(modelRate, queueSamples);
        Target = target is null ? null : new PromptOutputPart(this, CompleteAsync, target, _rate);
        Residual = residual is null ? null : new PromptOutputPart(this, CompleteAsync, residual, _rate);
        _pump = Task.Factory.StartNew(Pump, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>The faithful target as an output of the item (null when not asked for); its own Write is not used.</summary>
    public IItemOutput? Target { get; }

    /// <summary>The faithful residual as an output of the item (null when not asked for).</summary>
    public IItemOutput? Residual { get; }

    /// <summary>Takes the next generated target and residual samples at the model's rate.</summary>
    public void Write(ReadOnlySpan<float> target, ReadOnlySpan<float> residual)
    {
        if (Volatile.Read(ref _failure) is { } failure)
        {
            throw new IOException($"writing an output failed: {failure.Message}", failure);
        }

        _targetIn.Add(target);
        _residualIn.Add(residual);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Volatile.Write(ref _abandoned, true);
        StopInputs();
        try
        {
            _pump.Wait();
        }
        catch (AggregateException)
        {
            // The pump records its own failure; disposing only has to make sure it has stopped.
        }

        _targetWriter?.Dispose();
        _residualWriter?.Dispose();
        _targetIn.Release(); // the pump has stopped and the item is over: nothing uses the queues any more
        _residualIn.Release();
        _mixture.Release();
    }

    private Task CompleteAsync()
    {
        return _completion ??= Run();

        async Task Run()
        {
            _targetIn.Complete();
            _residualIn.Complete();
            await _pump.ConfigureAwait(false);
            if (_failure is { } failure)
            {
                throw new IOException($"writing an output failed: {failure.Message}", failure);
            }
        }
    }

    private void StopInputs()
    {
        _targetIn.Complete();
        _residualIn.Complete();
        _mixture.Complete();
    }

    private void Pump()
    {
        try
        {
            var stft = new ComplementaryMaskStft(_rate, _modelRate / 2.0);
            int hop = stft.Hop;
            using Resampler target = new(_targetIn, _rate), residual = new(_residualIn, _rate);
            float[] mixIn = new float[hop], targetIn = new float[hop], residualIn = new float[hop];
            float[] targetOut = new float[hop], mixOut = new float[hop];

            // The stream starts `lead` zeros before its first frame, on a multiple of the hop of the recording's frames.
            int lead = (int)(_firstFrame % hop);
            long position = -lead - stft.Latency; // stream frame of the next finished sample
            for (bool first = true; position < _skip + _frames && !Volatile.Read(ref _abandoned); first = false)
            {
                int from = first ? lead : 0;
                Fill(_mixture, mixIn, from);
                Fill(target, targetIn, from);
                Fill(residual, residualIn, from);
                stft.Push(mixIn, targetIn, residualIn, targetOut, mixOut);

                int keepFrom = (int)Math.Clamp(_skip - position, 0, hop);
                int keepTo = (int)Math.Clamp(_skip + _frames - position, keepFrom, hop);
                position += hop;
                if (keepTo > keepFrom)
                {
                    var t = targetOut.AsSpan(keepFrom, keepTo - keepFrom);
                    _targetWriter?.Write(t);
                    if (_residualWriter is not null)
                    {
                        var r = mixOut.AsSpan(keepFrom, keepTo - keepFrom);
                        TensorPrimitives.Subtract(r, t, r);
                        _residualWriter.Write(r);
                    }
                }
            }
        }
        catch (Exception ex)
        {
            // A thread boundary: the failure is handed to the model thread by Write and CompleteAsync.
            Volatile.Write(ref _failure, ex);
        }

        // Nothing more is read (a shard's context after its end, or everything after a failure): later samples are
        // dropped, so neither decoding nor the model waits for room in a queue nobody reads.
        StopInputs();
    }

    /// <summary>Zeros before <paramref name="from"/>, then what the source has, zeros after its end.</summary>
    private static void Fill(ISampleProvider source, float[] buffer, int from)
    {
        buffer.AsSpan(0, from).Clear();
        int total = from;
        for (int n; total < buffer.Length && (n = source.Read(buffer.AsSpan(total))) > 0;)
        {
            total += n;
        }

        buffer.AsSpan(total).Clear();
    }
}
