using System.Buffers;
using System.Collections.Concurrent;
using NAudio.Wave;

namespace SamAudio.Core.Pipeline;

/// <summary>
/// A mono sample stream that one thread fills (<see cref="Add"/>) and another pulls (<see cref="Read"/>).
/// <c>Read</c> blocks until samples arrive and returns 0 only after <see cref="Complete"/> and the last sample.
/// The queue is bounded by default, so a slow reader holds the writer back instead of buffering the recording;
/// with <paramref name="capacity"/> 0 it is unbounded, for a writer that must never wait (what it may hold ahead of
/// the reader is then bounded by the stages around it). After <see cref="Complete"/>, <c>Add</c> drops its samples:
/// the reader has stopped or was abandoned.
/// </summary>
internal sealed class QueuedSampleSource(int sampleRate, int capacity = 16) : ISampleProvider, IDisposable
{
    private readonly BlockingCollection<(float[] Buffer, int Count)> _queue = capacity > 0 ? new(capacity) : new();
    private float[]? _current;
    private int _offset;
    private int _count;

    public WaveFormat WaveFormat { get; } = WaveFormat.CreateIeeeFloatWaveFormat(sampleRate, 1);

    /// <summary>Queues a copy of <paramref name="samples"/> (buffers come from the shared pool).</summary>
    public void Add(ReadOnlySpan<float> samples)
    {
        if (_queue.IsAddingCompleted)
        {
            return;
        }

        var buffer = ArrayPool<float>.Shared.Rent(samples.Length);
        samples.CopyTo(buffer);
        try
        {
            _queue.Add((buffer, samples.Length));
        }
        catch (InvalidOperationException) when (_queue.IsAddingCompleted)
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    /// <summary>No more samples will be added.</summary>
    public void Complete() => _queue.CompleteAdding();

    public int Read(Span<float> buffer)
    {
        if (_current is null || _offset == _count)
        {
            Release();
            if (!_queue.TryTake(out var next, Timeout.Infinite))
            {
                return 0;
            }

            (_current, _count, _offset) = (next.Buffer, next.Count, 0);
        }

        int n = Math.Min(buffer.Length, _count - _offset);
        _current.AsSpan(_offset, n).CopyTo(buffer);
        _offset += n;
        return n;
    }

    public void Dispose()
    {
        Release();
        while (_queue.TryTake(out var item))
        {
            ArrayPool<float>.Shared.Return(item.Buffer);
        }

        _queue.Dispose();
    }

    private void Release()
    {
        if (_current is not null)
        {
            ArrayPool<float>.Shared.Return(_current);
            _current = null;
        }
    }
}
