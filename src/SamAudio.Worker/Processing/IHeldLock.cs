namespace SamAudio.Worker.Processing;

/// <summary>
/// A lock one worker holds over work that must happen once (a job's completion). It is kept while the holder lives and
/// lapses on its own when the holder dies, so a killed holder never blocks the work for good. Disposing releases it.
/// </summary>
internal interface IHeldLock : IAsyncDisposable
{
    /// <summary>Cancelled when the lock could not be kept (renewal failed): the holder must stop, another may take over.</summary>
    CancellationToken Lost { get; }
}
