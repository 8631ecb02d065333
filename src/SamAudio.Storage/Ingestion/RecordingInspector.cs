using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using SamAudio.Storage.Sharding;
using SamAudio.Storage.WorkItems;

namespace SamAudio.Storage.Ingestion;

/// <summary>What ingestion learned about one recording blob.</summary>
/// <param name="Version">The blob, its ETag and size.</param>
/// <param name="Sha256">The <c>sha256</c> metadata written by <c>samaudio submit</c>, if any.</param>
/// <param name="Header">Format and length from the WAV or FLAC header, or null for other formats.</param>
/// <param name="NoHeaderReason">Why the header was not read, when <paramref name="Header"/> is null.</param>
internal sealed record RecordingInfo(BlobVersion Version, string? Sha256, RecordingHeader? Header, string? NoHeaderReason);

/// <summary>Looks a recording blob up (existence, ETag, size) and reads its WAV or FLAC header with ranged downloads.</summary>
internal static class RecordingInspector
{
    /// <summary>Returns the recording's info, or null when the blob does not exist.</summary>
    public static async Task<RecordingInfo?> InspectAsync(BlobContainerClient recordings, string blobName, CancellationToken cancellationToken = default)
    {
        var blob = recordings.GetBlobClient(blobName);
        BlobProperties props;
        try
        {
            props = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
        var version = new BlobVersion(recordings.Name, blobName, props.ETag.ToString(), props.ContentLength);
        props.Metadata.TryGetValue("sha256", out var sha256);
        if (props.ContentLength == 0)
            return new RecordingInfo(version, sha256, null, "it is empty");

        var conditions = new BlobRequestConditions { IfMatch = props.ETag };
        async Task<ReadOnlyMemory<byte>> ReadRange(long offset, int count, CancellationToken ct)
        {
            if (offset >= props.ContentLength) return ReadOnlyMemory<byte>.Empty;
            var range = new HttpRange(offset, Math.Min(count, props.ContentLength - offset));
            var content = await blob.DownloadContentAsync(new BlobDownloadOptions { Range = range, Conditions = conditions }, ct).ConfigureAwait(false);
            return content.Value.Content.ToMemory();
        }
        var (wav, reason) = await WavHeaderReader.ReadAsync(ReadRange, props.ContentLength, cancellationToken).ConfigureAwait(false);
        if (wav is not null) return new RecordingInfo(version, sha256, RecordingHeader.Of(wav), null);
        var (flac, flacReason) = await FlacHeaderReader.ReadAsync(ReadRange, cancellationToken).ConfigureAwait(false);
        if (flac is not null) return new RecordingInfo(version, sha256, flac, null);
        return new RecordingInfo(version, sha256, null, flacReason!.StartsWith("it does not start", StringComparison.Ordinal) ? reason : flacReason);
    }
}
