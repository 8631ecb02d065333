using SamAudio.Storage.Ingestion;

namespace SamAudio.Storage.Tests;

[Trait("Category", "Azurite")]
public sealed class RecordingInspectorTests : IAsyncLifetime
{
    private readonly TestStorage _storage = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _storage.CleanUpAsync();

    [Fact]
    public async Task Wav_blob_gives_its_etag_size_and_duration_from_ranged_reads()
    {
        var container = await _storage.ContainerAsync(_storage.Options.RecordingContainer);
        var bytes = TestWav.Create(16_000, 1, 16_000 * 3, padChunkBytes: 9_000);
        var uploaded = (await container.UploadBlobAsync("a/rec.wav", BinaryData.FromBytes(bytes))).Value;

        var info = await RecordingInspector.InspectAsync(container, "a/rec.wav");

        Assert.Equal((uploaded.ETag.ToString(), (long?)bytes.Length), (info!.Version.ETag, info.Version.Size));
        Assert.Equal(TimeSpan.FromSeconds(3), info.Header!.Duration);
    }

    [Fact]
    public async Task Flac_blob_gives_its_duration_from_streaminfo()
    {
        var container = await _storage.ContainerAsync(_storage.Options.RecordingContainer);
        await container.UploadBlobAsync("a/rec.flac", BinaryData.FromBytes(TestFlac.Create(22_050, 2, 22_050 * 4)));

        var info = await RecordingInspector.InspectAsync(container, "a/rec.flac");

        Assert.Equal(new SamAudio.Storage.Sharding.RecordingHeader("flac", 22_050, 2, 22_050 * 4), info!.Header);
    }

    [Fact]
    public async Task Missing_blob_is_null_and_non_wav_has_a_reason()
    {
        var container = await _storage.ContainerAsync(_storage.Options.RecordingContainer);
        await container.UploadBlobAsync("a/rec.flac", BinaryData.FromString("fLaC and more bytes"));
        await container.UploadBlobAsync("a/rec.mp3", BinaryData.FromString("ID3 and the bytes of an MP3 file"));

        Assert.Null(await RecordingInspector.InspectAsync(container, "a/missing.wav"));
        var flac = await RecordingInspector.InspectAsync(container, "a/rec.flac");
        var mp3 = await RecordingInspector.InspectAsync(container, "a/rec.mp3");
        Assert.Equal((null, null), (flac!.Header, mp3!.Header));
        Assert.Contains("ends inside its FLAC header", flac.NoHeaderReason, StringComparison.Ordinal);
        Assert.Contains("RIFF/WAVE", mp3.NoHeaderReason, StringComparison.Ordinal);
    }
}
