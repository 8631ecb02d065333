using System.Text;

namespace SamAudio.Core.Manifests;

/// <summary>Builds the JSON paths of <see cref="ManifestError"/>: <c>$.items[2].prompts[0]</c>, <c>$['odd name']</c>.</summary>
internal static class JsonPath
{
    public const string Root = "$";

    public static string Property(string parent, string name) =>
        IsIdentifier(name) ? $"{parent}.{name}" : $"{parent}['{Escape(name)}']";

    public static string Index(string parent, int index) => $"{parent}[{index}]";

    private static bool IsIdentifier(string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_')
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private static string Escape(string name)
    {
        var sb = new StringBuilder(name.Length);
        foreach (char c in name)
        {
            _ = c switch
            {
                '\\' => sb.Append(@"\\"),
                '\'' => sb.Append(@"\'"),
                _ when char.IsControl(c) => sb.Append($"\\u{(int)c:x4}"),
                _ => sb.Append(c),
            };
        }

        return sb.ToString();
    }
}
