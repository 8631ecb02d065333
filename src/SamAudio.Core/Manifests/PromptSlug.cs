using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SamAudio.Core.Manifests;

/// <summary>
/// File-name stems for prompts (part of the output contract: <c>&lt;itemId&gt;/&lt;slug&gt;.target.wav</c>).
/// A slug is lower-case ASCII letters, digits and single '-', at most <see cref="MaxLength"/> characters,
/// derived deterministically from the prompt text.
/// </summary>
public static class PromptSlug
{
    /// <summary>The longest slug, in characters.</summary>
    public const int MaxLength = 48;

    /// <summary>
    /// The slug of one prompt: accents are dropped ("é" becomes "e"), apostrophes removed, every other run of
    /// non-alphanumeric characters becomes one '-'. Text with no ASCII letter or digit left (e.g. another script)
    /// gives "prompt-" and the first 8 hex digits of the SHA-256 of its UTF-8 bytes; a Windows device name gets
    /// "-prompt" appended.
    /// </summary>
    public static string From(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sb = new StringBuilder(MaxLength);
        bool dash = false;
        foreach (char c in text.Normalize(NormalizationForm.FormD))
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                if (dash && sb.Length > 0)
                {
                    sb.Append('-');
                }

                sb.Append(char.ToLowerInvariant(c));
                dash = false;
            }
            else if (c is not ('\'' or '\u2019') && CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                dash = true;
            }

            if (sb.Length >= MaxLength)
            {
                break;
            }
        }

        string slug = Fit(sb.ToString(), MaxLength);
        if (slug.Length == 0)
        {
            byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(text));
            return "prompt-" + Convert.ToHexStringLower(hash, 0, 4);
        }

        return SafeId.IsDeviceName(slug) ? slug + "-prompt" : slug;
    }

    /// <summary>
    /// Slugs for the prompts of one item, in order, unique within the item: a slug already taken gets "-2", "-3",
    /// ... (the first free one that no other prompt has as its own slug), shortening the stem to stay within
    /// <see cref="MaxLength"/>. The same texts in the same order always give the same slugs.
    /// </summary>
    public static IReadOnlyList<string> Assign(IReadOnlyList<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var own = texts.Select(From).ToArray();
        var natural = new HashSet<string>(own, StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);
        var result = new string[own.Length];
        for (int i = 0; i < own.Length; i++)
        {
            string slug = own[i];
            for (int n = 2; !used.Add(slug); n++)
            {
                string suffix = "-" + n.ToString(CultureInfo.InvariantCulture);
                string candidate = Fit(own[i], MaxLength - suffix.Length) + suffix;
                slug = natural.Contains(candidate) ? own[i] : candidate;
            }

            result[i] = slug;
        }

        return result;
    }

    private static string Fit(string slug, int length) =>
        (slug.Length > length ? slug[..length] : slug).Trim('-');
}
