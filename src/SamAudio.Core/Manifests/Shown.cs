using System.Text;

namespace SamAudio.Core.Manifests;

/// <summary>
/// Echoes a user's value in an error message: in double quotes, control characters written as U+XXXX, and cut
/// to <see cref="MaxLength"/> characters with "..." so a hostile manifest cannot blow up its own error report.
/// </summary>
internal static class Shown
{
    public const int MaxLength = 80;

    public static string Quoted(string value)
    {
        var sb = new StringBuilder("\"", MaxLength + 8);
        foreach (char c in value.Length > MaxLength ? value[..MaxLength] : value)
        {
            _ = char.IsControl(c) ? sb.Append($"U+{(int)c:X4}") : sb.Append(c);
        }

        return sb.Append(value.Length > MaxLength ? "...\"" : "\"").ToString();
    }
}
