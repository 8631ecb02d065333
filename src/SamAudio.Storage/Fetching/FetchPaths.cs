namespace SamAudio.Storage.Fetching;

/// <summary>Where a job's blob goes on disk, and which blob names are refused because they would land elsewhere.</summary>
internal static class FetchPaths
{
    /// <summary>
    /// The local path of <paramref name="relativeName"/> (the blob name after <c>&lt;jobId&gt;/</c>) under
    /// <paramref name="jobFolder"/> (a full path), or null when the name has an empty, <c>.</c> or <c>..</c> segment,
    /// a backslash, a colon or a control character, or would resolve outside the folder.
    /// </summary>
    public static string? LocalPath(string jobFolder, string relativeName)
    {
        if (relativeName.Length == 0) return null;
        var segments = relativeName.Split('/');
        foreach (var segment in segments)
        {
            if (segment is "" or "." or ".." || segment.Any(c => char.IsControl(c) || c is '\\' or ':'))
                return null;
        }
        var path = Path.GetFullPath(Path.Combine([jobFolder, .. segments]));
        return path.StartsWith(Path.TrimEndingDirectorySeparator(jobFolder) + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? path : null;
    }
}
