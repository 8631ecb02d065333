namespace SamAudio.Core.Manifests;

/// <summary>
/// Ids that are safe as folder and blob names everywhere: 1-64 ASCII letters, digits, '-', '_' and '.', not
/// starting or ending with '.', and not a Windows device name (CON, NUL, COM1, ...).
/// </summary>
internal static class SafeId
{
    public const int MaxLength = 64;

    public const string Rule = "use 1-64 letters, digits, '-', '_' or '.', not starting or ending with '.'";

    /// <summary>Null when <paramref name="id"/> is safe; else what is wrong with it, as a sentence fragment.</summary>
    public static string? Check(string id)
    {
        if (id.Length == 0)
        {
            return "is empty";
        }

        if (id.Length > MaxLength)
        {
            return $"is {id.Length} characters long (at most {MaxLength})";
        }

        foreach (char c in id)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.'))
            {
                return $"contains {Show(c)}";
            }
        }

        if (id[0] == '.' || id[^1] == '.')
        {
            return "starts or ends with '.'";
        }

        return IsDeviceName(id) ? "is a reserved device name on Windows" : null;
    }

    /// <summary>True for CON, PRN, AUX, NUL, COM0-9 and LPT0-9, with or without an extension, in any case.</summary>
    public static bool IsDeviceName(string name)
    {
        int dot = name.IndexOf('.', StringComparison.Ordinal);
        string stem = (dot < 0 ? name : name[..dot]).TrimEnd(' ').ToUpperInvariant();
        return stem is "CON" or "PRN" or "AUX" or "NUL"
            || (stem.Length == 4 && (stem.StartsWith("COM", StringComparison.Ordinal) || stem.StartsWith("LPT", StringComparison.Ordinal))
                && char.IsAsciiDigit(stem[3]));
    }

    /// <summary>A character as a reader can see it: 'x', "a space", or U+0009 for other invisible ones.</summary>
    public static string Show(char c) =>
        c == ' ' ? "a space" : char.IsControl(c) || char.IsWhiteSpace(c) ? $"U+{(int)c:X4}" : $"'{c}'";
}
