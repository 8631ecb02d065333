using SamAudio.Storage.Fetching;

namespace SamAudio.Storage.Tests.Fetching;

public sealed class FetchPathsTests
{
    private static readonly string Folder = Path.GetFullPath(Path.Combine(Path.GetTempPath(), "out", "job"));

    [Theory]
    [InlineData("job.json")]
    [InlineData("night1/owl-hooting.target.wav")]
    [InlineData("night1/a..b/selections.txt")]
    public void Names_inside_the_job_folder_map_below_it(string name)
    {
        var path = FetchPaths.LocalPath(Folder, name);

        Assert.Equal(Path.Combine([Folder, .. name.Split('/')]), path);
    }

    [Theory]
    [InlineData("")]
    [InlineData("..")]
    [InlineData("../other/job.json")]
    [InlineData("night1/../../escape.txt")]
    [InlineData("night1/./run.json")]
    [InlineData("night1//run.json")]
    [InlineData("/etc/passwd")]
    [InlineData("night1\\..\\..\\escape.txt")]
    [InlineData("C:/Windows/escape.txt")]
    [InlineData("night1/run\u0000.json")]
    public void Names_that_could_leave_the_job_folder_are_refused(string name)
    {
        Assert.Null(FetchPaths.LocalPath(Folder, name));
    }
}
