namespace SamAudio.Worker.Health;

/// <summary>
/// When the worker last made progress: every receive (empty or not) and every lease renewal beats. The worker is alive
/// while the last beat is at most <see cref="Window"/> old; a receive loop or renewal that hangs (a stuck network
/// call, a deadlock) lets it go stale, and the liveness probe restarts the replica.
/// </summary>
internal sealed class LoopHeartbeat
{
    private readonly TimeProvider _time;
    private long _lastBeat;
    private int _started;

    public LoopHeartbeat(TimeSpan window, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero, nameof(window));
        Window = window;
        _time = time ?? TimeProvider.System;
        _lastBeat = _time.GetUtcNow().UtcTicks; // starting up counts as progress
    }

    /// <summary>How old the last beat may be while the worker counts as alive.</summary>
    public TimeSpan Window { get; }

    /// <summary>True once the receive loop has started (the queues exist): the worker is ready for work.</summary>
    public bool Started => Volatile.Read(ref _started) == 1;

    /// <summary>Time since the last beat.</summary>
    public TimeSpan SinceLastBeat => _time.GetUtcNow() - new DateTimeOffset(Interlocked.Read(ref _lastBeat), TimeSpan.Zero);

    /// <summary>True while the last beat is within <see cref="Window"/>.</summary>
    public bool IsAlive => SinceLastBeat <= Window;

    /// <summary>Records progress now; the first beat also marks the loop <see cref="Started"/>.</summary>
    public void Beat()
    {
        Interlocked.Exchange(ref _lastBeat, _time.GetUtcNow().UtcTicks);
        Volatile.Write(ref _started, 1);
    }
}
