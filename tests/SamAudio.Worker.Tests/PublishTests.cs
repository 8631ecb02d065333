using System.Diagnostics;
using System.Text.RegularExpressions;

namespace SamAudio.Worker.Tests;

/// <summary>
/// No Docker engine runs here, so CI proves the image's build step another way: it runs the Dockerfile's own
/// <c>dotnet publish</c> line (on the CPU ONNX Runtime instead of the CUDA one) and starts the published worker.
/// </summary>
public sealed partial class PublishTests
{
    [Fact]
    public async Task The_dockerfile_publish_line_gives_a_worker_that_starts()
    {
        string root = RepositoryRoot();
        string dockerfile = await File.ReadAllTextAsync(Path.Combine(root, "src", "SamAudio.Worker", "Dockerfile"));
        var publish = PublishLine().Match(dockerfile);
        Assert.True(publish.Success, "the Dockerfile has a RUN dotnet publish line");
        string output = Directory.CreateTempSubdirectory("samaudio-publish-").FullName;
        try
        {
            string arguments = publish.Groups["args"].Value.Replace("-o /app", $"-o \"{output}\"", StringComparison.Ordinal) + " -p:SamAudioGpu=false";
            var (code, text) = await RunAsync("dotnet", $"publish {arguments}", root);
            Assert.True(code == 0, text);

            Assert.True(File.Exists(Path.Combine(output, "models", "samaudio-mini", "modelpack.json")), "the model packs are published with the worker");
            // The job report's pictures: SkiaSharp's NoDependencies build, which loads on the CUDA base image (libc only).
            Assert.True(File.Exists(Path.Combine(output, "runtimes", "linux-x64", "native", "libSkiaSharp.so")), "the native SkiaSharp library is published for linux-x64");
            var (helpCode, help) = await RunAsync("dotnet", $"\"{Path.Combine(output, "samaudio-worker.dll")}\" --help", output);
            Assert.Equal(0, helpCode);
            Assert.Contains("--drain", help);
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, string arguments, string folder)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SamAudio.Functions.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new DirectoryNotFoundException("the repository root (SamAudio.Functions.sln) is not above the test folder");
    }

    [GeneratedRegex(@"RUN dotnet publish (?<args>[^\r\n]+)")]
    private static partial Regex PublishLine();
}
