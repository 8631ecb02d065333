namespace SamAudio.Reports;

/// <summary>Paths a report links to or reads from: plain relative paths inside the report's folder, URL-escaped.</summary>
internal static class ReportPaths
{
    /// <summary>True for a relative path of plain segments: not rooted, no '..', no ':' (so no scheme), no control characters.</summary>
    public static bool IsPlainRelative(string path) =>
        path.Length > 0 && !Path.IsPathRooted(path) && !path.Contains(':') && !path.Contains('\\')
        && !path.Any(char.IsControl) && path.Split('/').All(s => s.Length > 0 && s != "." && s != "..");

    /// <summary>A relative URL for <paramref name="path"/> ("a b/c.wav" becomes "a%20b/c.wav").</summary>
    public static string Url(string path) => string.Join('/', path.Split('/').Select(Uri.EscapeDataString));
}
