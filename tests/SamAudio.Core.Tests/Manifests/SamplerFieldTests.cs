using SamAudio.Core.Manifests;
using static SamAudio.Core.Tests.Manifests.ManifestReaderTests;

namespace SamAudio.Core.Tests.Manifests;

/// <summary>"seed" and "steps": optional, the item's over the defaults', whole numbers in range, errors name item and field.</summary>
public sealed class SamplerFieldTests
{
    [Fact]
    public void Items_take_their_own_seed_and_steps_else_the_defaults_else_none()
    {
        var items = ManifestReader.Parse(Wrap("""
            [{ "id": "a", "recording": "a.wav" },
             { "id": "b", "recording": "b.wav", "seed": 7, "steps": 32 },
             { "id": "c", "recording": "c.wav", "seed": 0 }]
            """, """{ "prompts": ["owl"], "seed": 42, "steps": 8 }""")).Manifest!.Items;

        Assert.Equal([42, 7, 0], items.Select(i => i.Seed));
        Assert.Equal([8, 32, 8], items.Select(i => i.Steps));
    }

    [Fact]
    public void Without_seed_or_steps_an_item_leaves_them_to_the_run()
    {
        var item = Assert.Single(ManifestReader.Parse(Wrap("""[{ "id": "a", "recording": "a.wav", "prompts": ["owl"] }]""")).Manifest!.Items);

        Assert.Null(item.Seed);
        Assert.Null(item.Steps);
    }

    [Fact]
    public void A_whole_number_written_with_a_fraction_is_accepted()
    {
        var item = Assert.Single(ManifestReader.Parse(Wrap("""[{ "id": "a", "recording": "a.wav", "prompts": ["owl"], "seed": 3.0, "steps": 1.6e1 }]""")).Manifest?.Items ?? []);

        Assert.Equal(3, item.Seed);
        Assert.Equal(16, item.Steps);
    }

    [Theory]
    [InlineData("\"seed\": -1", "$.items[0].seed", "items[0] (id 'site-a'): 'seed' -1 is out of range; use a whole number from 0 to 2147483647")]
    [InlineData("\"seed\": 2147483648", "$.items[0].seed", "'seed' 2147483648 is out of range")]
    [InlineData("\"seed\": 1.5", "$.items[0].seed", "'seed' 1.5 is not a whole number")]
    [InlineData("\"seed\": \"7\"", "$.items[0].seed", "'seed' must be a number, not a string")]
    [InlineData("\"steps\": 0", "$.items[0].steps", "items[0] (id 'site-a'): 'steps' 0 is out of range; use a whole number from 1 to 1000")]
    [InlineData("\"steps\": 1001", "$.items[0].steps", "'steps' 1001 is out of range")]
    [InlineData("\"steps\": null", "$.items[0].steps", "'steps' must be a number, not null")]
    public void Bad_values_are_reported_at_the_item_s_field(string field, string path, string message)
    {
        var errors = ManifestReader.Parse(Wrap($$"""[{ "id": "site-a", "recording": "a.wav", "prompts": ["owl"], {{field}} }]""")).Errors;

        var error = Assert.Single(errors);
        Assert.Equal(path, error.Path);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_defaults_are_reported_once_at_defaults()
    {
        var errors = ManifestReader.Parse(Wrap(
            """[{ "id": "a", "recording": "a.wav" }, { "id": "b", "recording": "b.wav" }]""",
            """{ "prompts": ["owl"], "seed": -3, "steps": 0.5 }""")).Errors;

        Assert.Equal(["$.defaults.seed", "$.defaults.steps"], errors.Select(e => e.Path));
        Assert.StartsWith("defaults: 'steps' 0.5 is not a whole number", errors[1].Message, StringComparison.Ordinal);
    }
}
