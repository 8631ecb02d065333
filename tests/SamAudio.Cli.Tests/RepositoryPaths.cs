namespace SamAudio.Cli.Tests;

/// <summary>Files of the repository the tests run from (shipped samples, the model pack, the training captions).</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Of(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "SamAudio.Functions.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("SamAudio.Functions.sln not found above " + AppContext.BaseDirectory);
    }
}
