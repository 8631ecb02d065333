namespace SamAudio.Reports;

/// <summary>Reports on the caller's thread, in order (<see cref="Progress{T}"/> would post to the thread pool).</summary>
internal sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
