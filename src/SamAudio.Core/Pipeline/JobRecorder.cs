using SamAudio.Core.Provenance;

namespace SamAudio.Core.Pipeline;

/// <summary>
/// Records a batch's items in manifest order on a chain of its own: an item's record waits for the record before it and
/// for the item's run (its tail: writers draining, hashes, <c>run.json</c>), then the item's memory is released and
/// <c>job.json</c> rewritten. The loop that starts items never waits for a tail, only for <see cref="WaitAsync"/>'s bound.
/// Called from one thread at a time (the batch loop); the chain runs one record at a time.
/// </summary>
internal sealed class JobRecorder(Func<IReadOnlyList<JobItemRecord>, Task> writeJob)
{
    private readonly List<JobItemRecord> _items = [];
    private readonly Queue<Task> _pending = new();
    private Task _last = Task.CompletedTask;

    /// <summary>Adds a record with nothing to wait for (an item skipped, or refused before it ran).</summary>
    public void Add(JobItemRecord record) => Chain(AddAfterAsync(_last, record));

    /// <summary>Adds the record <paramref name="toRecord"/> makes of <paramref name="run"/> once the run has ended.</summary>
    public void Add(Task<RunRecord> run, Func<RunRecord, JobItemRecord> toRecord) => Chain(RecordAfterAsync(_last, run, toRecord));

    /// <summary>
    /// Waits until at most <paramref name="count"/> records are still to be made, so tails cannot pile up behind a slow
    /// disk; throws what a run threw.
    /// </summary>
    public async Task WaitAsync(int count)
    {
        while (_pending.TryPeek(out var oldest) && (oldest.IsCompleted || _pending.Count > count))
        {
            await _pending.Dequeue().ConfigureAwait(false);
        }
    }

    /// <summary>Every record, in manifest order, once all are made; throws what a run threw.</summary>
    public async Task<IReadOnlyList<JobItemRecord>> CompleteAsync()
    {
        await _last.ConfigureAwait(false);
        _pending.Clear();
        return _items;
    }

    /// <summary>Waits for the records still to be made and ignores what they throw: the batch is already failing.</summary>
    public Task AbandonAsync() => _last.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);

    private void Chain(Task record)
    {
        _last = record;
        _pending.Enqueue(record);
    }

    private async Task AddAfterAsync(Task before, JobItemRecord record)
    {
        await before.ConfigureAwait(false);
        _items.Add(record);
    }

    private async Task RecordAfterAsync(Task before, Task<RunRecord> run, Func<RunRecord, JobItemRecord> toRecord)
    {
        await before.ConfigureAwait(false);
        var record = toRecord(await run.ConfigureAwait(false));
        ItemMemory.Release();
        _items.Add(record);
        await writeJob(_items).ConfigureAwait(false);
    }
}
