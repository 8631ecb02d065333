using SamAudio.Core.Audio;

namespace SamAudio.Core.Tests.Audio;

public sealed class ChannelSelectionTests
{
    [Theory]
    [InlineData("mix")]
    [InlineData("0")]
    [InlineData("7")]
    [InlineData("12")]
    public void Parse_then_ToString_round_trips(string text)
    {
        Assert.Equal(text, ChannelSelection.Parse(text).ToString());
    }

    [Fact]
    public void Parse_mix_ignores_case_and_spaces()
    {
        Assert.Equal(ChannelSelection.Mix, ChannelSelection.Parse(" MIX "));
        Assert.True(ChannelSelection.Parse("Mix").IsMix);
    }

    [Fact]
    public void Index_holds_its_channel()
    {
        var selection = ChannelSelection.Index(3);
        Assert.False(selection.IsMix);
        Assert.Equal(3, selection.ChannelIndex);
        Assert.Equal(selection, ChannelSelection.Parse("3"));
        Assert.NotEqual(ChannelSelection.Mix, ChannelSelection.Index(0));
    }

    [Theory]
    [InlineData("")]
    [InlineData("-1")]
    [InlineData("+1")]
    [InlineData("1.5")]
    [InlineData("left")]
    [InlineData("99999999999")]
    public void Parse_rejects_anything_but_mix_or_a_non_negative_integer(string text)
    {
        Assert.False(ChannelSelection.TryParse(text, out _));
        Assert.Throws<FormatException>(() => ChannelSelection.Parse(text));
    }

    [Fact]
    public void Index_rejects_negative()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ChannelSelection.Index(-1));
    }
}
