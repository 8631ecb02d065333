using NAudio.Wave;
using SamAudio.Core.Audio;

namespace SamAudio.Core.Pipeline;

/// <summary>
/// A mono sample stream that one thread fills (<see cref="Add"/>) and another pulls (<see cref="Read"/>), through a
/// ring of <c>capacity</c> samples that the queue owns: nothing is allocated after construction, whichever threads
/// write and read. <c>Add</c> waits while the ring is full, so a slow reader holds the writer back instead of the
/// queue buffering the recording; <c>Read</c> waits until samples arrive, returns fewer than asked when fewer are
/// queued, and returns 0 only after <see cref="Complete"/> and the last sample. After <see cref="Complete"/>,
/// <c>Add</c> drops its samples, also those it was waiting to queue: the reader has stopped or was abandoned.
/// The ring comes from <see cref="SampleBufferPool"/>; <see cref="Release"/> gives it back.
/// </summary>
internal sealed class QueuedSampleSource : ISampleProvider
{
    private readonly object _gate = new();
    private float[] _ring;
    private int _head; // the next sample to read
    private int _count;
    private bool _completed;

    public QueuedSampleSource(int sampleRate, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _ring = SampleBufferPool.Rent(capacity);
        WaveFormat = WaveFormat.CreateIeeeFloatWaveFormat(sampleRate, 1);
    }

    public WaveFormat WaveFormat { get; }

    /// <summary>Samples the ring holds at most.</summary>
    public int Capacity => _ring.Length;

    /// <summary>Queues a copy of <paramref name="samples"/>, waiting for room as often as it must.</summary>
    public void Add(ReadOnlySpan<float> samples)
    {
        lock (_gate)
        {
            while (!samples.IsEmpty)
            {
                while (_count == _ring.Length && !_completed)
                {
                    Monitor.Wait(_gate);
                }

                if (_completed)
                {
                    return;
                }

                int tail = (_head + _count) % _ring.Length;
                int n = Math.Min(samples.Length, Math.Min(_ring.Length - _count, _ring.Length - tail));
                samples[..n].CopyTo(_ring.AsSpan(tail, n));
                _count += n;
                samples = samples[n..];
                Monitor.PulseAll(_gate);
            }
        }
    }

    /// <summary>No more samples will be added.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            _completed = true;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>
    /// Completes the queue, drops what it holds and gives its ring back to <see cref="SampleBufferPool"/>: for its owner,
    /// once both sides have stopped. Afterwards <see cref="Add"/> drops its samples and <see cref="Read"/> returns 0.
    /// </summary>
    public void Release()
    {
        float[] ring;
        lock (_gate)
        {
            _completed = true;
            _count = 0;
            _head = 0;
            ring = _ring;
            _ring = [];
            Monitor.PulseAll(_gate);
        }

        SampleBufferPool.Return(ring); // empty after the first release, which the pool ignores
    }

    public int Read(Span<float> buffer)
    {
        lock (_gate)
        {
            while (_count == 0 && !_completed)
            {
                Monitor.Wait(_gate);
            }

            int n = Math.Min(buffer.Length, _count);
            if (n == 0)
            {
                return 0;
            }

            int first = Math.Min(n, _ring.Length - _head);
            _ring.AsSpan(_head, first).CopyTo(buffer);
            _ring.AsSpan(0, n - first).CopyTo(buffer[first..]);
            _head = (_head + n) % _ring.Length;
            _count -= n;
            Monitor.PulseAll(_gate);
            return n;
        }
    }
}
