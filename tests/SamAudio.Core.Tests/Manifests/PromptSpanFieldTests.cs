using SamAudio.Core.Manifests;
using SamAudio.Core.Separation;
using static SamAudio.Core.Tests.Manifests.ManifestReaderTests;

namespace SamAudio.Core.Tests.Manifests;

/// <summary>A prompt object's "present" / "absent" spans: seconds of recording time, checked and kept in order.</summary>
public sealed class PromptSpanFieldTests
{
    [Fact]
    public void Spans_are_read_in_seconds_present_first_and_prompts_without_them_have_none()
    {
        var item = Assert.Single(ManifestReader.Parse(Wrap("""
            [{ "id": "a", "recording": "a.wav", "start": 10, "end": "00:01:00",
               "prompts": [{ "text": "owl", "absent": [[50, 60]], "present": [[12.5, 14], [20, 21.04]] }, "rain"] }]
            """)).Manifest!.Items);

        Assert.Equal([new PromptSpan(12.5, 14, true), new PromptSpan(20, 21.04, true), new PromptSpan(50, 60, false)], item.Prompts[0].Spans!);
        Assert.Null(item.Prompts[1].Spans);
    }

    [Fact]
    public void Spans_may_touch_but_present_and_absent_may_not_overlap()
    {
        var touching = ManifestReader.Parse(Wrap("""[{ "id": "a", "recording": "a.wav", "prompts": [{ "text": "owl", "present": [[1, 2]], "absent": [[2, 3]] }] }]"""));
        var overlapping = ManifestReader.Parse(Wrap("""[{ "id": "site-a", "recording": "a.wav", "prompts": [{ "text": "owl", "present": [[1, 2.5]], "absent": [[2, 3]] }] }]"""));

        Assert.Empty(touching.Errors);
        var error = Assert.Single(overlapping.Errors);
        Assert.Equal("$.items[0].prompts[0].absent", error.Path);
        Assert.Contains("items[0] (id 'site-a') prompts[0]: 'present' [1, 2.5] overlaps 'absent' [2, 3]", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"present\": [[2, 1]]", "$.items[0].prompts[0].present[0]", "'present'[0] [2, 1] must have 0 <= start < end")]
    [InlineData("\"present\": [[1, 1]]", "$.items[0].prompts[0].present[0]", "must have 0 <= start < end")]
    [InlineData("\"absent\": [[-1, 1]]", "$.items[0].prompts[0].absent[0]", "'absent'[0] [-1, 1] must have 0 <= start < end")]
    [InlineData("\"present\": [[1, 2], [\"3\", 4]]", "$.items[0].prompts[0].present[1]", "'present'[1] must be [start, end], two numbers of seconds, not [\"3\", 4]")]
    [InlineData("\"present\": [[1, 2, 3]]", "$.items[0].prompts[0].present[0]", "must be [start, end]")]
    [InlineData("\"present\": [1]", "$.items[0].prompts[0].present[0]", "must be [start, end]")]
    [InlineData("\"absent\": \"1-2\"", "$.items[0].prompts[0].absent", "'absent' must be an array, not a string")]
    [InlineData("\"present\": [[5, 9]]", "$.items[0].prompts[0].present[0]", "'present'[0] [5, 9] is outside the item's range 00:00:06 to 00:00:08")]
    [InlineData("\"absent\": [[7, 8.5]]", "$.items[0].prompts[0].absent[0]", "is outside the item's range")]
    public void Bad_spans_are_reported_naming_the_item_prompt_and_field(string field, string path, string message)
    {
        var errors = ManifestReader.Parse(Wrap($$"""
            [{ "id": "site-a", "recording": "a.wav", "start": 6, "end": 8, "prompts": [{ "text": "owl", {{field}} }] }]
            """)).Errors;

        var error = Assert.Single(errors);
        Assert.Equal(path, error.Path);
        Assert.StartsWith("items[0] (id 'site-a') prompts", error.Message, StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Spans_in_defaults_prompts_are_refused_since_they_are_times_of_one_recording()
    {
        var error = Assert.Single(ManifestReader.Parse(Wrap("""[{ "id": "a", "recording": "a.wav" }]""",
            """{ "prompts": [{ "text": "owl", "present": [[1, 2]] }] }""")).Errors);

        Assert.Equal("$.defaults.prompts[0].present", error.Path);
        Assert.Contains("give them in the item's own prompts", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void More_spans_than_the_item_limit_are_refused()
    {
        string spans = string.Join(", ", Enumerable.Range(0, 65).Select(i => $"[{i}, {i + 0.5}]"));
        var error = Assert.Single(ManifestReader.Parse(Wrap($$"""[{ "id": "a", "recording": "a.wav", "prompts": [{ "text": "owl", "present": [{{spans}}] }] }]""")).Errors);

        Assert.Equal("$.items[0].prompts", error.Path);
        Assert.Contains("65 present/absent spans in all; use at most 64 per item", error.Message, StringComparison.Ordinal);
    }
}
