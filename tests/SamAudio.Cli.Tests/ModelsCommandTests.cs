namespace SamAudio.Cli.Tests;

public sealed class ModelsCommandTests
{
    [Fact]
    public async Task Models_list_shows_the_packs_installed_beside_the_binary()
    {
        var (code, stdout, stderr) = await CliRunner.RunAsync("models", "list");

        Assert.True(code == 0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("ID", lines[0]);
        var bandmask = Assert.Single(lines, l => l.StartsWith("bandmask ", StringComparison.Ordinal));
        Assert.Contains("mask", bandmask);
        Assert.Contains("16000", bandmask);
        Assert.Contains(Path.Combine("models", "testpacks", "bandmask"), bandmask);
    }
}
