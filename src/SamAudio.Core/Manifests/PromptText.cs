using System.Text;

namespace SamAudio.Core.Manifests;

/// <summary>Normalises prompt text: Unicode NFC, trimmed, every whitespace run collapsed to one space.</summary>
public static class PromptText
{
    public static string Normalize(string text)
    {
        var sb = new StringBuilder(text.Length);
        bool space = false;
        foreach (char c in text.Normalize(NormalizationForm.FormC))
        {
            if (char.IsWhiteSpace(c))
            {
                space = sb.Length > 0;
                continue;
            }

            if (space)
            {
                sb.Append(' ');
                space = false;
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    /// <summary>Length in Unicode characters (code points), so an emoji counts once.</summary>
    public static int Length(string text)
    {
        int count = 0;
        foreach (var _ in text.EnumerateRunes())
        {
            count++;
        }

        return count;
    }

    /// <summary>The first control character left after normalisation, or null.</summary>
    public static char? FirstControl(string text)
    {
        foreach (char c in text)
        {
            if (char.IsControl(c))
            {
                return c;
            }
        }

        return null;
    }
}
