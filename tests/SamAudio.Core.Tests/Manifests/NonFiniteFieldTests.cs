using SamAudio.Core.Audio;
using SamAudio.Core.Manifests;
using static SamAudio.Core.Tests.Manifests.ManifestReaderTests;

namespace SamAudio.Core.Tests.Manifests;

/// <summary>"nonFinite" and "purpose": defaults apply, and a forensic item may not replace samples.</summary>
public sealed class NonFiniteFieldTests
{
    [Fact]
    public void Items_fail_on_non_finite_samples_unless_they_or_the_defaults_say_zero()
    {
        var result = ManifestReader.Parse(Wrap("""
            [{ "id": "a", "recording": "a.wav" },
             { "id": "b", "recording": "b.wav", "nonFinite": "fail" },
             { "id": "c", "recording": "c.wav", "purpose": "forensic" }]
            """, """{ "prompts": ["owl"], "nonFinite": "zero" }"""));

        Assert.Equal(["$.items[2].purpose"], result.Errors.Select(e => e.Path));

        var items = ManifestReader.Parse(Wrap("""[{ "id": "a", "recording": "a.wav" }, { "id": "b", "recording": "b.wav", "nonFinite": "zero" }]""", """{ "prompts": ["owl"] }""")).Manifest!.Items;
        Assert.Equal([NonFiniteSamples.Fail, NonFiniteSamples.Zero], items.Select(i => i.NonFinite));
        Assert.Equal([ItemPurpose.General, ItemPurpose.General], items.Select(i => i.Purpose));
    }

    [Fact]
    public void Zero_on_a_forensic_item_is_refused_with_the_reason()
    {
        var errors = ManifestReader.Parse(Wrap("""
            [{ "id": "site-a", "recording": "a.wav", "prompts": ["owl"], "purpose": "forensic", "nonFinite": "zero" }]
            """)).Errors;

        var error = Assert.Single(errors);
        Assert.Equal("$.items[0].nonFinite", error.Path);
        Assert.Equal(
            "items[0] (id 'site-a'): 'nonFinite' \"zero\" is not allowed with \"purpose\": \"forensic\": replacing samples would alter the evidence; leave nonFinite out (NaN or infinite samples then fail the item, naming where they are) and repair or document the file",
            error.Message);
    }

    [Fact]
    public void Forensic_defaults_with_zero_are_reported_once_at_defaults()
    {
        var errors = ManifestReader.Parse(Wrap(
            """[{ "id": "a", "recording": "a.wav" }, { "id": "b", "recording": "b.wav" }]""",
            """{ "prompts": ["owl"], "purpose": "forensic", "nonFinite": "zero" }""")).Errors;

        Assert.Equal(["$.defaults.nonFinite"], errors.Select(e => e.Path));
    }

    [Theory]
    [InlineData("\"nonFinite\": \"Zero\"", "$.items[0].nonFinite")]
    [InlineData("\"nonFinite\": 0", "$.items[0].nonFinite")]
    [InlineData("\"purpose\": \"court\"", "$.items[0].purpose")]
    public void Unknown_values_are_errors(string field, string path)
    {
        var errors = ManifestReader.Parse(Wrap($$"""[{ "id": "a", "recording": "a.wav", "prompts": ["owl"], {{field}} }]""")).Errors;

        Assert.Equal([path], errors.Select(e => e.Path));
    }
}
