using SamAudio.Storage.Ingestion;
using SamAudio.Storage.Submission;
using SamAudio.Storage.Tests;

namespace SamAudio.Worker.Tests.Telemetry;

/// <summary>The job the telemetry tests trace: one 5 s recording in shards of 2 s, the pass-through model.</summary>
internal static class OneItemJob
{
    /// <summary>Submits and ingests the job <paramref name="jobId"/> (it must be accepted), its files in <paramref name="folder"/>; nothing is sent.</summary>
    public static async Task<IngestResult> IngestAsync(TestStorage storage, string folder, string jobId)
    {
        await File.WriteAllBytesAsync(Path.Combine(folder, "one.wav"), TestWav.Create(16_000, 1, 16_000 * 5));
        string manifest = Path.Combine(folder, jobId + ".json");
        await File.WriteAllTextAsync(manifest, $$"""
            { "schema": "samaudio.manifest/v1", "jobId": "{{jobId}}", "model": "passthrough",
              "defaults": { "prompts": ["a tone"], "segmentSeconds": 1, "overlapSeconds": 0.25 },
              "items": [ { "id": "one", "recording": "one.wav" } ] }
            """);
        var options = storage.Options with { ShardLength = TimeSpan.FromSeconds(2) };
        var submitted = await new ManifestSubmitter(storage.Blobs, options).SubmitAsync(manifest);
        Assert.Empty(submitted.Errors);
        var ingested = await new ManifestIngestor(storage.Blobs, options).IngestAsync(submitted.ManifestBlob!);
        Assert.Equal(IngestOutcome.Accepted, ingested.Outcome);
        return ingested;
    }
}
