namespace SamAudio.Storage.Jobs;

/// <summary>The shard markers of a jobs container (<see cref="ShardMarkerStore"/> on Blob Storage).</summary>
public interface IShardMarkers
{
    /// <summary>Records that an attempt started (replaces the previous attempt's running marker).</summary>
    Task MarkRunningAsync(ShardMarker marker, CancellationToken cancellationToken = default);

    /// <summary>Writes a done or failed marker once; false when it already existed (harmless).</summary>
    Task<bool> TryMarkFinalAsync(ShardMarker marker, CancellationToken cancellationToken = default);

    /// <summary>True when the shard's marker in <paramref name="state"/> exists.</summary>
    Task<bool> ExistsAsync(string jobId, string workItemId, ShardState state, CancellationToken cancellationToken = default);

    /// <summary>One marker, or null when it does not exist.</summary>
    Task<ShardMarker?> GetAsync(string jobId, string workItemId, ShardState state, CancellationToken cancellationToken = default);

    /// <summary>Every marker of the job (without errors: read failed markers with <see cref="GetAsync"/>).</summary>
    Task<IReadOnlyList<ShardMarker>> ListAsync(string jobId, CancellationToken cancellationToken = default);
}
