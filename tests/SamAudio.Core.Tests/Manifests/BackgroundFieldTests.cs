using SamAudio.Core.Manifests;
using static SamAudio.Core.Tests.Manifests.ManifestReaderTests;

namespace SamAudio.Core.Tests.Manifests;

/// <summary>"background": "suppress" takes a field recording's steady background out of the targets; "keep" (the default) does not.</summary>
public sealed class BackgroundFieldTests
{
    [Fact]
    public void Items_keep_the_background_unless_they_or_the_defaults_say_suppress()
    {
        var items = ManifestReader.Parse(Wrap("""
            [{ "id": "a", "recording": "a.wav" },
             { "id": "b", "recording": "b.wav", "background": "suppress" },
             { "id": "c", "recording": "c.wav", "background": "keep" }]
            """, """{ "prompts": ["owl"] }""")).Manifest!.Items;
        Assert.Equal([false, true, false], items.Select(i => i.SuppressBackground));

        var fromDefaults = ManifestReader.Parse(Wrap(
            """[{ "id": "a", "recording": "a.wav" }, { "id": "b", "recording": "b.wav", "background": "keep" }]""",
            """{ "prompts": ["owl"], "background": "suppress" }""")).Manifest!.Items;
        Assert.Equal([true, false], fromDefaults.Select(i => i.SuppressBackground));
    }

    [Fact]
    public void A_forensic_item_may_suppress_the_background()
    {
        var item = Assert.Single(ManifestReader.Parse(Wrap("""
            [{ "id": "a", "recording": "a.wav", "prompts": ["owl"], "purpose": "forensic", "background": "suppress" }]
            """)).Manifest!.Items);

        Assert.True(item.SuppressBackground);
        Assert.True(item.Faithful); // the faithful outputs still only attenuate the recording
    }

    [Theory]
    [InlineData("\"background\": \"remove\"", "$.items[0].background")]
    [InlineData("\"background\": true", "$.items[0].background")]
    public void Other_values_are_errors_that_say_what_to_write(string field, string path)
    {
        var error = Assert.Single(ManifestReader.Parse(Wrap($$"""[{ "id": "site-a", "recording": "a.wav", "prompts": ["owl"], {{field}} }]""")).Errors);

        Assert.Equal(path, error.Path);
        Assert.Contains("items[0] (id 'site-a')", error.Message, StringComparison.Ordinal);
        Assert.Contains("\"suppress\"", error.Message, StringComparison.Ordinal);
    }
}
