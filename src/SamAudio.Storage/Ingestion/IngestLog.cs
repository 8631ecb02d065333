using Microsoft.Extensions.Logging;

namespace SamAudio.Storage.Ingestion;

/// <summary>Log messages of manifest ingestion (source-generated, message templates).</summary>
internal static partial class IngestLog
{
    [LoggerMessage(1, LogLevel.Information, "Accepted manifest {Blob} ({ETag}) as job {JobId}: {Items} items, {WorkItems} work items")]
    public static partial void Accepted(ILogger logger, string blob, string etag, string jobId, int items, int workItems);

    [LoggerMessage(2, LogLevel.Information, "Manifest {Blob} ({ETag}) was already ingested as job {JobId}; nothing sent")]
    public static partial void AlreadyIngested(ILogger logger, string blob, string etag, string jobId);

    [LoggerMessage(3, LogLevel.Warning, "Rejected manifest {Blob} ({ETag}) for job {JobId} with {Count} errors; see {Report}")]
    public static partial void Rejected(ILogger logger, string blob, string etag, string jobId, int count, string report);

    [LoggerMessage(4, LogLevel.Warning, "Manifest {Blob} no longer exists; nothing to ingest")]
    public static partial void Vanished(ILogger logger, string blob);
}
