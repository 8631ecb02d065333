namespace SamAudio.Worker.Tests;

public sealed class WorkerOptionsTests
{
    [Theory]
    [InlineData(null, true)]
    [InlineData("on", true)]
    [InlineData("OFF", false)]
    [InlineData(" off ", false)]
    public void SamAudioReport_is_on_by_default_and_turned_off_by_off(string? value, bool expected)
    {
        var options = WorkerOptions.FromSettings(key => key switch { "SamAudioStorage" => "UseDevelopmentStorage=true", "SamAudioReport" => value, _ => null });
        Assert.Equal(expected, options.Report);
    }

    [Fact]
    public void SamAudioReport_other_than_on_or_off_is_refused_with_the_setting_named()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => WorkerOptions.FromSettings(key => key switch { "SamAudioStorage" => "UseDevelopmentStorage=true", "SamAudioReport" => "yes", _ => null }));
        Assert.Equal("SamAudioReport", e.ParamName);
    }
}
