using SamAudio.Inference.Text;

namespace SamAudio.Inference.Tests.Text;

public sealed class PromptTextTests
{
    [Theory]
    [InlineData("  owl   hooting ", "owl hooting")]
    [InlineData("rain\ton\nleaves", "rain on leaves")]
    [InlineData("Owl", "Owl")]
    [InlineData("cafe\u0301 noise", "caf\u00e9 noise")]
    public void Normalize_trims_folds_whitespace_and_composes(string raw, string expected) =>
        Assert.Equal(expected, PromptText.Normalize(raw));
}
