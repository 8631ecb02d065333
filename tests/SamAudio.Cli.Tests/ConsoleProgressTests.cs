using SamAudio.Core.Pipeline;

namespace SamAudio.Cli.Tests;

public sealed class ConsoleProgressTests
{
    [Fact]
    public void Progress_lines_show_the_item_position_speed_and_eta()
    {
        var output = new StringWriter();
        var progress = new ConsoleProgress(output, interactive: false);

        progress.Report(new BatchProgress(0, 2, "site-a", new ItemProgress(0, 3600)));
        progress.Report(new BatchProgress(0, 2, "site-a", new ItemProgress(3600, 3600)));
        progress.Finish();

        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("[1/2] site-a [------------------------]   0.0% 00:00:00/01:00:00", lines[0]);
        Assert.Contains("100.0% 01:00:00/01:00:00", lines[1]);
        Assert.Contains("x real time ETA 00:00:00", lines[1]);
    }

    [Fact]
    public void A_line_is_computed_from_progress_and_elapsed_time()
    {
        string line = ConsoleProgress.Line(new BatchProgress(2, 5, "owl", new ItemProgress(600, 1200)), TimeSpan.FromSeconds(10));

        Assert.Equal("[3/5] owl [############------------]  50.0% 00:10:00/00:20:00    60.0x real time ETA 00:00:10", line);
    }
}
