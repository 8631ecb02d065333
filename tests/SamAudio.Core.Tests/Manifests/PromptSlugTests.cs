using System.Text.RegularExpressions;
using SamAudio.Core.Manifests;

namespace SamAudio.Core.Tests.Manifests;

public sealed class PromptSlugTests
{
    private static readonly Regex SlugShape = new("^[a-z0-9]+(-[a-z0-9]+)*$", RegexOptions.CultureInvariant);

    [Theory]
    [InlineData("owl hooting", "owl-hooting")]
    [InlineData("  Owl   HOOTING!! ", "owl-hooting")]
    [InlineData("the owl's call", "the-owls-call")]
    [InlineData("Chant de l’oiseau, été", "chant-de-loiseau-ete")]
    [InlineData("rain (heavy) / 2", "rain-heavy-2")]
    [InlineData("con", "con-prompt")]
    public void From_makes_lower_case_ascii_words_joined_by_dashes(string text, string slug) =>
        Assert.Equal(slug, PromptSlug.From(text));

    [Fact]
    public void From_caps_the_length_without_a_trailing_dash()
    {
        string slug = PromptSlug.From(string.Concat(Enumerable.Repeat("abc ", 30)));

        Assert.True(slug.Length <= PromptSlug.MaxLength);
        Assert.Matches(SlugShape, slug);
    }

    [Fact]
    public void Text_without_ascii_letters_gets_a_stable_hash_slug()
    {
        string owl = PromptSlug.From("フクロウの鳴き声");

        Assert.Matches("^prompt-[0-9a-f]{8}$", owl);
        Assert.Equal(owl, PromptSlug.From("フクロウの鳴き声"));
        Assert.NotEqual(owl, PromptSlug.From("雨の音"));
    }

    [Fact]
    public void Assign_numbers_collisions_in_order_without_taking_another_prompts_own_slug()
    {
        Assert.Equal(["owl", "owl-3", "owl-2"], PromptSlug.Assign(["owl!", "owl?", "owl 2"]));
        Assert.Equal(["owl", "owl-2", "owl-3"], PromptSlug.Assign(["owl", "Owl.", "OWL,"]));
    }

    [Fact]
    public void Assign_is_unique_bounded_and_deterministic_for_many_colliding_prompts()
    {
        var random = new Random(1234);
        var texts = Enumerable.Range(0, 200)
            .Select(_ => new string('x', random.Next(40, 60)) + new string('!', random.Next(1, 4)) + random.Next(0, 3))
            .ToArray();

        var slugs = PromptSlug.Assign(texts);

        Assert.Equal(texts.Length, slugs.Distinct(StringComparer.Ordinal).Count());
        Assert.All(slugs, s => Assert.True(s.Length <= PromptSlug.MaxLength && SlugShape.IsMatch(s), s));
        Assert.Equal(slugs, PromptSlug.Assign(texts));
    }
}
