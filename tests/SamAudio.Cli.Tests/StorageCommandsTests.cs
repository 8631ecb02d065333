using System.Text.Json;
using Azure.Storage.Blobs;
using SamAudio.Storage.Tests;

namespace SamAudio.Cli.Tests;

/// <summary>
/// <c>submit</c>, <c>ingest</c> and <c>status</c> against Azurite, in-process. Container and queue names come from the
/// environment (as in the Functions app), set to unique names for this class and restored after.
/// </summary>
[Trait("Category", "Azurite")]
public sealed class StorageCommandsTests : IDisposable
{
    private static readonly string[] Settings = ["SamAudioManifestContainer", "SamAudioRecordingContainer", "SamAudioJobContainer", "SamAudioWorkQueue"];
    private readonly Dictionary<string, string?> _saved = Settings.ToDictionary(s => s, Environment.GetEnvironmentVariable);
    private readonly string _connection;
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..12];
    private readonly TempFolder _folder = new();

    public StorageCommandsTests()
    {
        _connection = Environment.GetEnvironmentVariable("SAMAUDIO_TEST_STORAGE") ?? "";
        if (_connection.Length == 0)
            Assert.Fail("SAMAUDIO_TEST_STORAGE is not set. Run the tests through ./test.sh, which starts Azurite and exports it.");
        foreach (var (setting, prefix) in Settings.Zip(new[] { "man", "rec", "job", "work" }))
            Environment.SetEnvironmentVariable(setting, $"{prefix}-{_suffix}");
    }

    public void Dispose()
    {
        var blobs = new BlobServiceClient(_connection);
        foreach (var prefix in new[] { "man", "rec", "job" })
            blobs.GetBlobContainerClient($"{prefix}-{_suffix}").DeleteIfExists();
        foreach (var (setting, value) in _saved)
            Environment.SetEnvironmentVariable(setting, value);
        _folder.Dispose();
    }

    [Fact]
    public async Task Submit_ingest_and_status_run_a_manifest_through_storage_once()
    {
        Directory.CreateDirectory(_folder["site-a"]);
        await File.WriteAllBytesAsync(_folder["site-a/night1.wav"], TestWav.Create(8_000, 1, 8_000 * 2));
        await File.WriteAllTextAsync(_folder["owl.json"], """
            { "schema": "samaudio.manifest/v1", "jobId": "owl-cli", "model": "samaudio-mini",
              "items": [ { "id": "night1", "recording": "site-a/night1.wav", "prompts": ["owl hooting"] } ] }
            """);

        var submit = await CliRunner.RunAsync("submit", _folder["owl.json"], "--prefix", "survey/", "--connection", _connection);
        var resubmit = await CliRunner.RunAsync("submit", _folder["owl.json"], "--prefix", "survey/", "--connection", _connection);
        var ingest = await CliRunner.RunAsync("ingest", "survey/owl-cli.json", "--connection", _connection);
        var again = await CliRunner.RunAsync("ingest", "survey/owl-cli.json", "--connection", _connection);
        var status = await CliRunner.RunAsync("status", "owl-cli", "--connection", _connection);
        var unknown = await CliRunner.RunAsync("status", "no-such-job", "--connection", _connection);

        Assert.Equal(0, submit.ExitCode);
        Assert.Contains("uploaded  rec-", submit.Out, StringComparison.Ordinal);
        Assert.Contains("unchanged rec-", resubmit.Out, StringComparison.Ordinal);
        Assert.Equal(0, ingest.ExitCode);
        Assert.Contains("accepted, 1 work item(s) sent", ingest.Out, StringComparison.Ordinal);
        Assert.Contains("already ingested", again.Out, StringComparison.Ordinal);
        Assert.Equal(0, status.ExitCode);
        using var report = JsonDocument.Parse(status.Out);
        Assert.Equal(1, report.RootElement.GetProperty("workItems").GetProperty("pending").GetInt32());
        Assert.Equal(ExitCodes.Error, unknown.ExitCode);
    }

    [Fact]
    public async Task Submit_of_an_invalid_manifest_uploads_nothing_and_exits_with_invalid_input()
    {
        await File.WriteAllTextAsync(_folder["bad.json"], """{ "schema": "samaudio.manifest/v1", "jobId": "bad", "items": [] }""");

        var submit = await CliRunner.RunAsync("submit", _folder["bad.json"], "--connection", _connection);

        Assert.Equal(ExitCodes.InvalidInput, submit.ExitCode);
        Assert.Contains("$.items", submit.Error, StringComparison.Ordinal);
    }
}
