namespace SamAudio.Core.Pipeline;

/// <summary>
/// One batch item's turn at the engine. Turns are handed out in manifest order (<see cref="First"/>, then
/// <see cref="Next"/>): a turn is <see cref="Ready"/> once the turn before it is <see cref="Released"/>, so the
/// engine serves one item at a time, in manifest order, while the next item already decodes. A turn released before
/// it came (an item that failed before it needed the engine) passes the engine on only once it has come.
/// </summary>
internal sealed class EngineTurn
{
    // Continuations run on the thread pool, never inline in Release: the next item's model work and the batch loop
    // that starts the item after it must not queue behind each other on the releasing thread.
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _releasing;

    private EngineTurn(Task ready) => Ready = ready;

    /// <summary>Completes when every earlier turn has been released: this item may call the engine.</summary>
    public Task Ready { get; }

    /// <summary>Completes when this turn has come and <see cref="Release"/> has been called.</summary>
    public Task Released => _released.Task;

    /// <summary>The first turn of a batch: the engine is free.</summary>
    public static EngineTurn First() => new(Task.CompletedTask);

    /// <summary>The turn after this one: ready once this one is released.</summary>
    public EngineTurn Next() => new(Released);

    /// <summary>This item makes no more calls to the engine; calls after the first do nothing.</summary>
    public void Release()
    {
        if (Interlocked.Exchange(ref _releasing, 1) == 0)
        {
            Ready.ContinueWith(static (_, released) => ((TaskCompletionSource)released!).TrySetResult(), _released,
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }
}
