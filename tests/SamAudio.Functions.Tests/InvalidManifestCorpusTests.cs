using System.Text.Json;
using SamAudio.Storage.Ingestion;
using SamAudio.Storage.Jobs;

namespace SamAudio.Functions.Tests;

/// <summary>
/// Every invalid manifest of the core corpus (<c>tests/SamAudio.Core.Tests/Manifests/Invalid</c>) and of this
/// project's own (<c>Manifests/Invalid</c>: cases that only ingestion sees) yields an errors blob, a rejected job
/// record and no message.
/// </summary>
[Trait("Category", "Azurite")]
public sealed class InvalidManifestCorpusTests : IAsyncLifetime
{
    private readonly FunctionsHarness _h = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _h.CleanUpAsync();

    public static TheoryData<string> Corpus()
    {
        var data = new TheoryData<string>();
        foreach (var dir in CorpusFolders())
            foreach (var file in Directory.EnumerateFiles(dir, "*.json").Order(StringComparer.Ordinal))
            {
                if (Path.GetFileName(file) != ExpectedFile) data.Add(Path.GetRelativePath(RepositoryRoot(), file));
            }
        return data;
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    public async Task Invalid_manifest_yields_an_errors_blob_a_rejected_record_and_no_message(string relativePath)
    {
        var json = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), relativePath));
        var name = "corpus/" + Path.GetFileName(relativePath);
        var manifest = await _h.UploadManifestAsync(name, json);

        var messages = await _h.TriggerIngestAsync(manifest);
        var result = await _h.Ingestor.IngestAsync(manifest);

        Assert.Empty(messages);
        Assert.Equal(IngestOutcome.Rejected, result.Outcome);
        Assert.Equal(0, await _h.QueueCountAsync());
        var blob = (await _h.ManifestsAsync()).GetBlobClient(name + ManifestIngestor.ErrorReportSuffix);
        using var report = JsonDocument.Parse((await blob.DownloadContentAsync()).Value.Content.ToMemory());
        var errors = report.RootElement.GetProperty("errors").EnumerateArray().ToList();
        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.StartsWith("$", e.GetProperty("path").GetString(), StringComparison.Ordinal));
        Assert.All(errors, e => Assert.False(string.IsNullOrWhiteSpace(e.GetProperty("message").GetString())));
        foreach (var path in ExpectedPaths(relativePath))
            Assert.Contains(path, errors.Select(e => e.GetProperty("path").GetString()));
        var record = (await _h.Jobs.GetAsync(result.JobId!))!.Record;
        Assert.Equal((JobState.Rejected, errors.Count), (record.Status, record.Errors.Count));
    }

    [Fact]
    public void Corpus_is_not_empty()
    {
        Assert.True(Corpus().Count >= 40, "The core invalid manifest corpus (tests/SamAudio.Core.Tests/Manifests/Invalid) was not found.");
    }

    /// <summary>The core corpus lists, per file, the JSON paths its errors must name.</summary>
    private const string ExpectedFile = "expected.json";

    private static IEnumerable<string> ExpectedPaths(string relativePath)
    {
        var expected = Path.Combine(RepositoryRoot(), Path.GetDirectoryName(relativePath)!, ExpectedFile);
        if (!File.Exists(expected)) return [];
        using var doc = JsonDocument.Parse(File.ReadAllText(expected));
        return doc.RootElement.TryGetProperty(Path.GetFileName(relativePath), out var paths)
            ? paths.EnumerateArray().Select(p => p.GetString()!).ToArray()
            : [];
    }

    private static IEnumerable<string> CorpusFolders()
    {
        var root = RepositoryRoot();
        foreach (var dir in new[] { "tests/SamAudio.Core.Tests/Manifests/Invalid", "tests/SamAudio.Functions.Tests/Manifests/Invalid" })
        {
            var full = Path.Combine(root, dir);
            if (Directory.Exists(full)) yield return full;
        }
    }

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SamAudio.Functions.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("SamAudio.Functions.sln not found above " + AppContext.BaseDirectory);
    }
}
