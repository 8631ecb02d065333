namespace SamAudio.Core.Manifests;

/// <summary>
/// The rules for an item's <c>recording</c> path and its resolution against the manifest's folder. A valid path
/// is relative, uses '/' between non-empty segments, has no '.' or '..' segment, no scheme or drive, no
/// control characters, and nothing Windows or blob names cannot hold; so the same text names the same file
/// under a local folder and under a blob container prefix.
/// </summary>
public static class ManifestPaths
{
    /// <summary>The longest recording path accepted by default, in characters.</summary>
    public const int DefaultMaxLength = 1024;

    private const string Relative = "give the path relative to the manifest's folder, e.g. \"site-a/night1.wav\"";

    /// <summary>
    /// Checks a recording path. Returns null when it is safe; otherwise a sentence fragment that follows the
    /// path in a message ("is an absolute path; give the path relative to ...").
    /// </summary>
    public static string? Validate(string recording, int maxLength = DefaultMaxLength)
    {
        ArgumentNullException.ThrowIfNull(recording);
        if (recording.Length == 0)
        {
            return $"is empty; {Relative}";
        }

        if (recording.Length > maxLength)
        {
            return $"is {recording.Length} characters long; use at most {maxLength}";
        }

        foreach (char c in recording)
        {
            if (char.IsControl(c))
            {
                return $"contains the control character {SafeId.Show(c)}; remove it";
            }
        }

        return CheckForm(recording) ?? CheckSegments(recording);
    }

    /// <summary>
    /// The full local path of <paramref name="recording"/> under <paramref name="manifestFolder"/>. The path is
    /// validated again and normalised lexically (symlinks are not followed); the result is guaranteed to lie
    /// inside the folder.
    /// </summary>
    /// <exception cref="ArgumentException">When the path is not valid or would leave the folder.</exception>
    public static string Resolve(string manifestFolder, string recording)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(manifestFolder);
        ArgumentNullException.ThrowIfNull(recording);
        if (Validate(recording, int.MaxValue) is { } problem)
        {
            throw new ArgumentException($"Recording path \"{recording}\" {problem}.", nameof(recording));
        }

        string root = Path.GetFullPath(manifestFolder);
        if (!Path.EndsInDirectorySeparator(root))
        {
            root += Path.DirectorySeparatorChar;
        }

        string full = Path.GetFullPath(Path.Combine(root, recording.Replace('/', Path.DirectorySeparatorChar)));
        var comparison = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS()
            ? StringComparison.OrdinalIgnoreCase
            : StringComparison.Ordinal;
        if (!full.StartsWith(root, comparison) || full.Length == root.Length)
        {
            throw new ArgumentException($"Recording path \"{recording}\" resolves outside \"{root}\".", nameof(recording));
        }

        return full;
    }

    private static string? CheckForm(string path)
    {
        int colon = path.IndexOf(':', StringComparison.Ordinal);
        if (colon > 1 && path[..colon].All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.')
            && char.IsAsciiLetter(path[0]))
        {
            return $"looks like a URL ('{path[..(colon + 1)]}'); only paths inside the manifest's folder or container are allowed; {Relative}";
        }

        if (colon == 1 && char.IsAsciiLetter(path[0]))
        {
            return $"is an absolute Windows path (drive '{path[..2]}'); {Relative}";
        }

        if (path.StartsWith(@"\\", StringComparison.Ordinal) || path.StartsWith("//", StringComparison.Ordinal))
        {
            return $"is a network (UNC) path; {Relative}";
        }

        if (path.Contains('\\', StringComparison.Ordinal))
        {
            return $"uses '\\'; write '/' between folders, e.g. \"{path.Replace('\\', '/')}\"";
        }

        if (path[0] == '/')
        {
            return $"is an absolute path; {Relative}";
        }

        if (path[0] == '~')
        {
            return $"starts with '~' (home folders are not expanded); {Relative}";
        }

        int bad = path.IndexOfAny([':', '<', '>', '"', '|', '?', '*']);
        return bad >= 0
            ? $"contains '{path[bad]}', which Windows and recorder cards cannot store in a file name; rename the file"
            : null;
    }

    private static string? CheckSegments(string path)
    {
        foreach (string segment in path.Split('/'))
        {
            if (segment.Length == 0)
            {
                return "has an empty segment ('//' or a '/' at the start or end); write one '/' between folder names";
            }

            if (segment is "..")
            {
                return "contains '..'; recordings must stay inside the manifest's folder";
            }

            if (segment.All(c => c is '.' or ' '))
            {
                return $"contains the segment '{segment}'; remove it";
            }

            if (segment[^1] is '.' or ' ')
            {
                return $"has a folder or file name ending in '{segment[^1]}' ('{segment}'), which Windows drops; rename it";
            }

            if (SafeId.IsDeviceName(segment))
            {
                return $"uses the reserved Windows device name '{segment}'; rename it";
            }
        }

        return null;
    }
}
