namespace SamAudio.Cli.Tests;

internal static class OutputFiles
{
    /// <summary>Every output under <paramref name="root"/> by relative path, except the provenance files, which hold timestamps.</summary>
    public static SortedDictionary<string, byte[]> Read(string root) =>
        new(Directory.GetFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) is not ("run.json" or "job.json"))
            .ToDictionary(f => Path.GetRelativePath(root, f), File.ReadAllBytes), StringComparer.Ordinal);
}
