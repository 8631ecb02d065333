using SamAudio.Core.Manifests;

namespace SamAudio.Core.Tests.Manifests;

public sealed class ManifestPathsTests
{
    [Theory]
    [InlineData("a.wav")]
    [InlineData("site-a/2026-05-01T2000.wav")]
    [InlineData("deep/er/still deeper/x.flac")]
    [InlineData("names with spaces/a b (1).wav")]
    [InlineData("..hidden-ish/a.wav")]
    [InlineData("é/ü.wav")]
    public void Relative_paths_inside_the_folder_are_valid(string recording) =>
        Assert.Null(ManifestPaths.Validate(recording));

    [Theory]
    [InlineData("")]
    [InlineData("/etc/passwd")]
    [InlineData("C:/data/a.wav")]
    [InlineData("C:a.wav")]
    [InlineData(@"C:\data\a.wav")]
    [InlineData(@"\\server\share\a.wav")]
    [InlineData("//server/share/a.wav")]
    [InlineData(@"site\a.wav")]
    [InlineData("..")]
    [InlineData("../a.wav")]
    [InlineData("a/../../b.wav")]
    [InlineData("a/..")]
    [InlineData("./a.wav")]
    [InlineData("a/.../b.wav")]
    [InlineData("a/.. /b.wav")]
    [InlineData("a/b./c.wav")]
    [InlineData("a//b.wav")]
    [InlineData("a/")]
    [InlineData("~/a.wav")]
    [InlineData("http://example.com/a.wav")]
    [InlineData("https://other.blob.core.windows.net/c/a.wav")]
    [InlineData("file:///etc/passwd")]
    [InlineData("az:other/c/a.wav")]
    [InlineData("a:stream.wav")]
    [InlineData("a/b:c.wav")]
    [InlineData("a?.wav")]
    [InlineData("a\u0000.wav")]
    [InlineData("a\u001b.wav")]
    [InlineData("a\n.wav")]
    [InlineData("con.wav")]
    [InlineData("a/NUL")]
    public void Unsafe_paths_are_rejected_with_a_reason(string recording)
    {
        string? problem = ManifestPaths.Validate(recording);

        Assert.False(string.IsNullOrWhiteSpace(problem));
    }

    [Fact]
    public void Paths_over_the_length_limit_are_rejected()
    {
        string path = string.Concat(Enumerable.Repeat("abcd/", 205)) + "a.wav";

        Assert.Equal(1030, path.Length);
        Assert.NotNull(ManifestPaths.Validate(path));
        Assert.Null(ManifestPaths.Validate(path, maxLength: 2048));
    }

    [Fact]
    public void Resolve_returns_the_full_path_inside_the_folder()
    {
        string folder = Path.Combine(Path.GetTempPath(), "survey", "..", "survey2");
        string expectedRoot = Path.GetFullPath(folder);

        string full = ManifestPaths.Resolve(folder, "site-a/night 1.wav");

        Assert.Equal(Path.Combine(expectedRoot, "site-a", "night 1.wav"), full);
        Assert.Equal(full, ManifestPaths.Resolve(folder + Path.DirectorySeparatorChar, "site-a/night 1.wav"));
    }

    [Theory]
    [InlineData("../escape.wav")]
    [InlineData("a/../../escape.wav")]
    [InlineData("/etc/passwd")]
    [InlineData("C:/Windows/win.ini")]
    [InlineData("https://example.com/a.wav")]
    [InlineData("")]
    public void Resolve_refuses_paths_that_escape_or_are_not_relative(string recording) =>
        Assert.Throws<ArgumentException>(() => ManifestPaths.Resolve(Path.GetTempPath(), recording));
}
