using System.Text;

namespace SamAudio.Inference.Text;

/// <summary>Prompt normalisation: the exact text that is encoded and recorded.</summary>
public static class PromptText
{
    /// <summary>Unicode NFC, trimmed, every run of whitespace folded to one space. Case is kept.</summary>
    public static string Normalize(string prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var builder = new StringBuilder(prompt.Length);
        bool pendingSpace = false;
        foreach (char c in prompt.Normalize(NormalizationForm.FormC))
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }
}
