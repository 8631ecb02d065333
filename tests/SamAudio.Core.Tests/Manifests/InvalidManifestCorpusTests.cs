using System.Text.Json;
using SamAudio.Core.Manifests;

namespace SamAudio.Core.Tests.Manifests;

/// <summary>
/// Runs the invalid-manifest corpus: every <c>Invalid/*.json</c> file must be rejected with exactly the JSON
/// paths listed for it in <c>Invalid/expected.json</c> (file name -> array of paths, one entry per error).
/// </summary>
public sealed class InvalidManifestCorpusTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Manifests", "Invalid");

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var name in Expected().Keys.Order(StringComparer.Ordinal))
        {
            data.Add(name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Invalid_manifest_is_rejected_with_exactly_the_expected_paths(string file)
    {
        var result = await ManifestReader.ReadFileAsync(Path.Combine(Folder, file));

        Assert.False(result.IsValid);
        Assert.Null(result.Manifest);
        Assert.Equal(
            Expected()[file].Order(StringComparer.Ordinal),
            result.Errors.Select(e => e.Path).Order(StringComparer.Ordinal));
        Assert.All(result.Errors, e => Assert.False(string.IsNullOrWhiteSpace(e.Message)));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Item_errors_name_the_item_in_their_message(string file)
    {
        var result = await ManifestReader.ReadFileAsync(Path.Combine(Folder, file));

        foreach (var error in result.Errors.Where(e => e.Path.StartsWith("$.items[", StringComparison.Ordinal)))
        {
            string item = error.Path[2..(error.Path.IndexOf(']', StringComparison.Ordinal) + 1)];
            Assert.StartsWith(item, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Corpus_has_at_least_thirty_files_and_each_is_listed_once()
    {
        var files = Directory.GetFiles(Folder, "*.json")
            .Select(Path.GetFileName)
            .Where(n => n != "expected.json")
            .Order(StringComparer.Ordinal)
            .ToArray();

        Assert.True(files.Length >= 30, $"only {files.Length} invalid manifests");
        Assert.Equal(files, Expected().Keys.Order(StringComparer.Ordinal));
    }

    private static Dictionary<string, string[]> Expected() =>
        JsonSerializer.Deserialize<Dictionary<string, string[]>>(File.ReadAllText(Path.Combine(Folder, "expected.json")))!;
}
