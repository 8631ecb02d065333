using SamAudio.Core.Manifests;
using static SamAudio.Core.Tests.Manifests.ManifestReaderTests;

namespace SamAudio.Core.Tests.Manifests;

/// <summary>"faithful": a forensic item is faithful by default and cannot be made direct; others are direct unless asked.</summary>
public sealed class FaithfulFieldTests
{
    [Fact]
    public void Forensic_items_are_faithful_by_default_and_general_ones_direct_unless_they_or_the_defaults_say_so()
    {
        var items = ManifestReader.Parse(Wrap("""
            [{ "id": "a", "recording": "a.wav" },
             { "id": "b", "recording": "b.wav", "purpose": "forensic" },
             { "id": "c", "recording": "c.wav", "faithful": true },
             { "id": "d", "recording": "d.wav", "purpose": "forensic", "faithful": true }]
            """, """{ "prompts": ["owl"] }""")).Manifest!.Items;

        Assert.Equal([false, true, true, true], items.Select(i => i.Faithful));

        var fromDefaults = ManifestReader.Parse(Wrap(
            """[{ "id": "a", "recording": "a.wav" }, { "id": "b", "recording": "b.wav", "faithful": false }]""",
            """{ "prompts": ["owl"], "faithful": true }""")).Manifest!.Items;
        Assert.Equal([true, false], fromDefaults.Select(i => i.Faithful));

        var forensicDefaults = ManifestReader.Parse(Wrap("""[{ "id": "a", "recording": "a.wav" }]""", """{ "prompts": ["owl"], "purpose": "forensic" }""")).Manifest!.Items;
        Assert.True(Assert.Single(forensicDefaults).Faithful);
    }

    [Fact]
    public void Faithful_false_on_a_forensic_item_is_refused_with_the_reason()
    {
        var error = Assert.Single(ManifestReader.Parse(Wrap("""
            [{ "id": "site-a", "recording": "a.wav", "prompts": ["owl"], "purpose": "forensic", "faithful": false }]
            """)).Errors);

        Assert.Equal("$.items[0].faithful", error.Path);
        Assert.StartsWith("items[0] (id 'site-a'): 'faithful' false is not allowed with \"purpose\": \"forensic\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Forensic_with_direct_defaults_is_reported_where_it_is_said()
    {
        var atDefaults = ManifestReader.Parse(Wrap(
            """[{ "id": "a", "recording": "a.wav" }]""", """{ "prompts": ["owl"], "purpose": "forensic", "faithful": false }""")).Errors;
        Assert.Equal(["$.defaults.faithful"], atDefaults.Select(e => e.Path));

        var atItem = ManifestReader.Parse(Wrap(
            """[{ "id": "a", "recording": "a.wav", "purpose": "forensic" }]""", """{ "prompts": ["owl"], "faithful": false }""")).Errors;
        Assert.Equal(["$.items[0].purpose"], atItem.Select(e => e.Path));
    }

    [Theory]
    [InlineData("\"faithful\": \"yes\"")]
    [InlineData("\"faithful\": 1")]
    public void Values_other_than_true_or_false_are_errors(string field)
    {
        var errors = ManifestReader.Parse(Wrap($$"""[{ "id": "a", "recording": "a.wav", "prompts": ["owl"], {{field}} }]""")).Errors;

        Assert.Equal(["$.items[0].faithful"], errors.Select(e => e.Path));
    }
}
