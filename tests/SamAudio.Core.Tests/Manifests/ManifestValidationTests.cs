using System.Text;
using SamAudio.Core.Manifests;
using static SamAudio.Core.Tests.Manifests.ManifestReaderTests;

namespace SamAudio.Core.Tests.Manifests;

public sealed class ManifestValidationTests
{
    [Fact]
    public void Every_problem_is_reported_at_once_with_the_item_id_and_what_to_do()
    {
        var result = ManifestReader.Parse(Wrap("""
            [{ "id": "site-a", "recording": "/abs.wav", "prompts": [""], "channel": "left" },
             { "id": "site-b", "recording": "b.wav", "prompts": ["owl"], "start": "00:20:00", "end": "00:10:00" }]
            """));

        Assert.Null(result.Manifest);
        Assert.Equal(
            ["$.items[0].recording", "$.items[0].prompts[0]", "$.items[0].channel", "$.items[1].end"],
            result.Errors.Select(e => e.Path));
        Assert.Equal(
            "items[1] (id 'site-b'): 'end' 00:10:00 is before 'start' 00:20:00; make end later than start",
            result.Errors[^1].Message);
    }

    [Fact]
    public void Long_or_invisible_values_are_echoed_shortened_and_visible()
    {
        string json = Wrap("""[{ "id": "a", "recording": "a.wav", "prompts": ["owl"], "output": "x\u0007y" }]""")
            .Replace("samaudio.manifest/v1", new string('v', 100_000), StringComparison.Ordinal);

        var errors = ManifestReader.Parse(json).Errors;

        Assert.Equal(["$.schema", "$.items[0].output"], errors.Select(e => e.Path));
        Assert.All(errors, e => Assert.True(e.Message.Length < 300, e.Message));
        Assert.Contains("\"xU+0007y\"", errors[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_json_gives_one_error_with_line_and_position()
    {
        var result = ManifestReader.Parse("{\n  \"schema\": \"samaudio.manifest/v1\",\n  \"jobId\": owl\n}");

        var error = Assert.Single(result.Errors);
        Assert.Equal("$", error.Path);
        Assert.Contains("line 3, position 12", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nesting_deeper_than_a_manifest_needs_is_rejected_as_one_error()
    {
        string deep = string.Concat(Enumerable.Repeat("[", 100)) + string.Concat(Enumerable.Repeat("]", 100));

        var error = Assert.Single(ManifestReader.Parse(Wrap("[]").Replace("[]", deep, StringComparison.Ordinal)).Errors);

        Assert.Equal("$", error.Path);
    }

    [Fact]
    public void Unpaired_surrogate_in_a_prompt_is_an_error_not_a_crash()
    {
        var result = ManifestReader.Parse(Wrap("""[{ "id": "a", "recording": "a.wav", "prompts": ["owl \ud800"] }]"""));

        Assert.Equal(["$.items[0].prompts[0]"], result.Errors.Select(e => e.Path));
    }

    [Fact]
    public void Item_limit_is_enforced()
    {
        var limits = new ManifestLimits { MaxItems = 2 };
        string items = "[" + string.Join(",", Enumerable.Range(0, 3).Select(i => $$"""{ "id": "i{{i}}", "recording": "{{i}}.wav", "prompts": ["owl"] }""")) + "]";

        Assert.Equal(["$.items"], ManifestReader.Parse(Wrap(items), limits).Errors.Select(e => e.Path));
        Assert.True(ManifestReader.Parse(Wrap(items), limits with { MaxItems = 3 }).IsValid);
    }

    [Fact]
    public void Default_item_limit_accepts_ten_thousand_items_and_rejects_one_more()
    {
        static string Items(int count) =>
            "[" + string.Join(",", Enumerable.Range(0, count).Select(i => $$"""{ "id": "i{{i}}", "recording": "r/{{i}}.wav" }""")) + "]";
        const string defaults = """{ "prompts": ["owl"] }""";

        var atLimit = ManifestReader.Parse(Wrap(Items(10_000), defaults));
        var overLimit = ManifestReader.Parse(Wrap(Items(10_001), defaults));

        Assert.Equal(10_000, atLimit.Manifest?.Items.Count);
        Assert.Equal(["$.items"], overLimit.Errors.Select(e => e.Path));
    }

    [Fact]
    public void Prompt_count_and_length_limits_are_enforced_after_normalisation()
    {
        var limits = new ManifestLimits { MaxPromptsPerItem = 2, MaxPromptLength = 11 };

        var tooMany = ManifestReader.Parse(Wrap("""[{ "id": "a", "recording": "a.wav", "prompts": ["a", "b", "c"] }]"""), limits);
        var tooLong = ManifestReader.Parse(Wrap("""[{ "id": "a", "recording": "a.wav", "prompts": ["owl hooting!"] }]"""), limits);
        var fits = ManifestReader.Parse(Wrap("""[{ "id": "a", "recording": "a.wav", "prompts": ["   owl    hooting  "] }]"""), limits);

        Assert.Equal(["$.items[0].prompts"], tooMany.Errors.Select(e => e.Path));
        Assert.Equal(["$.items[0].prompts[0]"], tooLong.Errors.Select(e => e.Path));
        Assert.True(fits.IsValid);
    }

    [Fact]
    public async Task Size_limit_rejects_text_bytes_and_files_before_parsing()
    {
        string json = Wrap("""[{ "id": "a", "recording": "a.wav", "prompts": ["owl"] }]""");
        var limits = new ManifestLimits { MaxManifestBytes = json.Length - 1 };
        string path = Path.Combine(Path.GetTempPath(), $"manifest-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, json);
        try
        {
            var results = new[]
            {
                ManifestReader.Parse(json, limits),
                ManifestReader.Parse(Encoding.UTF8.GetBytes(json), limits),
                await ManifestReader.ReadFileAsync(path, limits),
            };

            Assert.All(results, r => Assert.Equal("$", Assert.Single(r.Errors).Path));
            Assert.True(ManifestReader.Parse(json, limits with { MaxManifestBytes = json.Length }).IsValid);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Error_list_is_capped_with_a_closing_count()
    {
        string items = "[" + string.Join(",", Enumerable.Range(0, 5).Select(i => $$"""{ "id": "i{{i}}", "recording": "/{{i}}.wav", "prompts": ["owl"] }""")) + "]";

        var errors = ManifestReader.Parse(Wrap(items), new ManifestLimits { MaxErrors = 3 }).Errors;

        Assert.Equal(4, errors.Count);
        Assert.Equal("$", errors[^1].Path);
        Assert.Contains("2 more", errors[^1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Segment_limits_are_configurable()
    {
        var limits = new ManifestLimits { MinSegmentSeconds = 5, MaxSegmentSeconds = 30 };

        var result = ManifestReader.Parse(Wrap("""[{ "id": "a", "recording": "a.wav", "prompts": ["owl"], "segmentSeconds": 4 }]"""), limits);

        Assert.Equal(["$.items[0].segmentSeconds"], result.Errors.Select(e => e.Path));
    }

    [Fact]
    public void Limits_reject_out_of_range_values_when_set_and_inconsistent_ones_when_used()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ManifestLimits { MaxItems = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ManifestLimits { MaxPromptLength = -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ManifestLimits { MaxSegmentSeconds = double.NaN });
        var inconsistent = new ManifestLimits { MinSegmentSeconds = 60, MaxSegmentSeconds = 30 };

        Assert.Throws<ArgumentOutOfRangeException>(() => ManifestReader.Parse("{}", inconsistent));
    }

    [Fact]
    public void Default_limits_are_the_documented_ones()
    {
        var limits = ManifestLimits.Default;

        Assert.Equal((10_000, 16, 256, 4 * 1024 * 1024, 1024), (limits.MaxItems, limits.MaxPromptsPerItem, limits.MaxPromptLength, limits.MaxManifestBytes, limits.MaxRecordingPathLength));
        Assert.Equal((1.0, 600.0), (limits.MinSegmentSeconds, limits.MaxSegmentSeconds));
    }
}
