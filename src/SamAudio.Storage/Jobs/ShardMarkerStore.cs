using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace SamAudio.Storage.Jobs;

/// <summary>
/// Reads and writes <see cref="ShardMarker"/>s in the jobs container. Each shard has its own blobs, so thousands of
/// workers never contend for one; a listing of <see cref="ShardMarker.Prefix"/> with metadata gives every shard's
/// state, audio seconds and time without downloading a marker.
/// </summary>
public sealed class ShardMarkerStore(BlobContainerClient jobs) : IShardMarkers
{
    private const string ContentType = "application/json";

    /// <summary>Records that an attempt started (replaces the previous attempt's running marker).</summary>
    public async Task MarkRunningAsync(ShardMarker marker, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(marker);
        await WriteAsync(marker with { State = ShardState.Running }, conditions: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes the final marker (<see cref="ShardState.Done"/> or <see cref="ShardState.Failed"/>) once; returns false
    /// when it already existed (a duplicate delivery or a second assembler got there first, which is harmless).
    /// </summary>
    public async Task<bool> TryMarkFinalAsync(ShardMarker marker, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(marker);
        if (marker.State == ShardState.Running)
        {
            throw new ArgumentException("A final marker is done or failed.", nameof(marker));
        }

        try
        {
            await WriteAsync(marker, new BlobRequestConditions { IfNoneMatch = ETag.All }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            return false;
        }
    }

    /// <summary>True when the shard's marker in <paramref name="state"/> exists.</summary>
    public async Task<bool> ExistsAsync(string jobId, string workItemId, ShardState state, CancellationToken cancellationToken = default) =>
        (await jobs.GetBlobClient(ShardMarker.BlobName(jobId, workItemId, state)).ExistsAsync(cancellationToken).ConfigureAwait(false)).Value;

    /// <summary>Reads one marker, or null when it does not exist.</summary>
    public async Task<ShardMarker?> GetAsync(string jobId, string workItemId, ShardState state, CancellationToken cancellationToken = default)
    {
        try
        {
            var content = await jobs.GetBlobClient(ShardMarker.BlobName(jobId, workItemId, state)).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return JsonSerializer.Deserialize(content.Value.Content.ToMemory().Span, StorageJson.Context.ShardMarker);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <summary>
    /// Every marker of the job, from the listing's metadata (errors are not in it: read failed markers with
    /// <see cref="GetAsync"/> for their reason). Several markers of one shard (running, then done) are all listed.
    /// </summary>
    public async Task<IReadOnlyList<ShardMarker>> ListAsync(string jobId, CancellationToken cancellationToken = default)
    {
        var markers = new List<ShardMarker>();
        await foreach (var blob in jobs.GetBlobsAsync(BlobTraits.Metadata, BlobStates.None, ShardMarker.Prefix(jobId), cancellationToken).ConfigureAwait(false))
        {
            if (FromMetadata(jobId, blob) is { } marker)
            {
                markers.Add(marker);
            }
        }

        return markers;
    }

    private async Task WriteAsync(ShardMarker marker, BlobRequestConditions? conditions, CancellationToken cancellationToken)
    {
        var blob = jobs.GetBlobClient(ShardMarker.BlobName(marker.JobId, marker.WorkItemId, marker.State));
        var options = new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = ContentType },
            Metadata = ToMetadata(marker),
            Conditions = conditions,
        };
        var json = JsonSerializer.SerializeToUtf8Bytes(marker, StorageJson.Indented.ShardMarker);
        await blob.UploadAsync(new BinaryData(json), options, cancellationToken).ConfigureAwait(false);
    }

    private static Dictionary<string, string> ToMetadata(ShardMarker marker)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["itemid"] = Uri.EscapeDataString(marker.ItemId),
            ["shard"] = string.Create(CultureInfo.InvariantCulture, $"{marker.ShardIndex}/{marker.ShardCount}"),
            ["audioseconds"] = marker.AudioSeconds.ToString("R", CultureInfo.InvariantCulture),
            ["deliveries"] = marker.Deliveries.ToString(CultureInfo.InvariantCulture),
            ["failures"] = marker.Failures.ToString(CultureInfo.InvariantCulture),
            ["startedat"] = marker.StartedAt.ToString("O", CultureInfo.InvariantCulture),
        };
        if (marker.FinishedAt is { } finished)
        {
            metadata["finishedat"] = finished.ToString("O", CultureInfo.InvariantCulture);
        }

        if (marker.Seconds is { } seconds)
        {
            metadata["seconds"] = seconds.ToString("R", CultureInfo.InvariantCulture);
        }

        return metadata;
    }

    /// <summary>The marker a listed blob under <see cref="ShardMarker.Prefix"/> stands for, from its name and metadata
    /// (listed with <see cref="BlobTraits.Metadata"/>); null for other blobs there, such as a shard's result.</summary>
    internal static ShardMarker? FromMetadata(string jobId, BlobItem blob)
    {
        // <prefix><workItemId>.<state>.json
        string name = blob.Name[ShardMarker.Prefix(jobId).Length..];
        string[] parts = name.Split('.');
        if (parts.Length != 3 || parts[2] != "json" || !Enum.TryParse<ShardState>(parts[1], ignoreCase: true, out var state))
        {
            return null;
        }

        var m = blob.Metadata;
        string Get(string key) => m.TryGetValue(key, out var v) ? v : "";
        string[] shard = Get("shard").Split('/');
        return new ShardMarker
        {
            JobId = jobId,
            WorkItemId = parts[0],
            ItemId = Uri.UnescapeDataString(Get("itemid")),
            ShardIndex = shard.Length == 2 && int.TryParse(shard[0], CultureInfo.InvariantCulture, out var i) ? i : 0,
            ShardCount = shard.Length == 2 && int.TryParse(shard[1], CultureInfo.InvariantCulture, out var c) ? c : 1,
            State = state,
            AudioSeconds = double.TryParse(Get("audioseconds"), CultureInfo.InvariantCulture, out var a) ? a : 0,
            Deliveries = long.TryParse(Get("deliveries"), CultureInfo.InvariantCulture, out var d) ? d : 0,
            Failures = int.TryParse(Get("failures"), CultureInfo.InvariantCulture, out var failures) ? failures : 0,
            StartedAt = DateTimeOffset.TryParse(Get("startedat"), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var s) ? s : default,
            FinishedAt = DateTimeOffset.TryParse(Get("finishedat"), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var f) ? f : null,
            Seconds = double.TryParse(Get("seconds"), CultureInfo.InvariantCulture, out var sec) ? sec : null,
        };
    }
}
