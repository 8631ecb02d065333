using System.Security.Cryptography;
using SamAudio.Storage.Ingestion;
using SamAudio.Storage.Submission;

namespace SamAudio.Storage.Tests.Submission;

[Trait("Category", "Azurite")]
public sealed class ManifestSubmitterTests : IAsyncLifetime, IDisposable
{
    private readonly TestStorage _storage = new();
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("samaudio-submit-");

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _storage.CleanUpAsync();

    public void Dispose() => _folder.Delete(recursive: true);

    private string WriteManifest(string jobId, string? sha256 = null)
    {
        Directory.CreateDirectory(Path.Combine(_folder.FullName, "site-a"));
        var shaField = sha256 is null ? "" : $", \"sha256\": \"{sha256}\"";
        var path = Path.Combine(_folder.FullName, "job.json");
        File.WriteAllText(path, $$"""
            { "schema": "samaudio.manifest/v1", "jobId": "{{jobId}}", "model": "samaudio-mini",
              "defaults": { "prompts": ["owl hooting"] },
              "items": [ { "id": "n1", "recording": "site-a/n1.wav"{{shaField}} }, { "id": "n2", "recording": "site-a/n2.wav" },
                         { "id": "n1-again", "recording": "site-a/n1.wav", "start": "00:00:01" } ] }
            """);
        return path;
    }

    private void WriteRecording(string name, int frames) =>
        File.WriteAllBytes(Path.Combine(_folder.FullName, "site-a", name), TestWav.Create(8_000, 1, frames));

    [Fact]
    public async Task Submit_uploads_each_recording_once_with_its_hashes_then_the_manifest_and_ingestion_accepts_it()
    {
        var manifest = WriteManifest("submit-1");
        WriteRecording("n1.wav", 16_000);
        WriteRecording("n2.wav", 8_000);

        var result = await new ManifestSubmitter(_storage.Blobs, _storage.Options).SubmitAsync(manifest, "survey/");

        Assert.Empty(result.Errors);
        Assert.Equal(["survey/site-a/n1.wav", "survey/site-a/n2.wav"], result.Uploaded.Order());
        Assert.Equal("survey/submit-1.json", result.ManifestBlob);
        var props = (await _storage.Blobs.GetBlobContainerClient(_storage.Options.RecordingContainer).GetBlobClient("survey/site-a/n1.wav").GetPropertiesAsync()).Value;
        var bytes = await File.ReadAllBytesAsync(Path.Combine(_folder.FullName, "site-a", "n1.wav"));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), props.Metadata["sha256"]);
#pragma warning disable CA5351 // Content-MD5 is blob storage's integrity check, not a security boundary.
        Assert.Equal(MD5.HashData(bytes), props.ContentHash);
#pragma warning restore CA5351
        var ingest = await new ManifestIngestor(_storage.Blobs, _storage.Options).IngestAsync(result.ManifestBlob!);
        Assert.Equal((IngestOutcome.Accepted, 3), (ingest.Outcome, ingest.Messages.Count));
    }

    [Fact]
    public async Task Second_submit_skips_unchanged_recordings_and_uploads_a_changed_one()
    {
        var manifest = WriteManifest("submit-2");
        WriteRecording("n1.wav", 16_000);
        WriteRecording("n2.wav", 8_000);
        var submitter = new ManifestSubmitter(_storage.Blobs, _storage.Options);
        await submitter.SubmitAsync(manifest);
        WriteRecording("n2.wav", 8_001);

        var again = await submitter.SubmitAsync(manifest);

        Assert.Equal(["site-a/n1.wav"], again.Skipped);
        Assert.Equal(["site-a/n2.wav"], again.Uploaded);
    }

    [Fact]
    public async Task Wrong_expected_hash_or_missing_file_uploads_nothing()
    {
        var manifest = WriteManifest("submit-3", sha256: new string('0', 64));
        WriteRecording("n1.wav", 16_000);

        var result = await new ManifestSubmitter(_storage.Blobs, _storage.Options).SubmitAsync(manifest);

        Assert.Equal(["$.items[0].sha256", "$.items[1].recording"], result.Errors.Select(e => e.Path).Order());
        Assert.Null(result.ManifestBlob);
        Assert.False((await _storage.Blobs.GetBlobContainerClient(_storage.Options.ManifestContainer).ExistsAsync()).Value);
    }
}
