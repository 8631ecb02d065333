using System.Globalization;
using System.Net;
using System.Text;

namespace SamAudio.Reports.Html;

/// <summary>
/// Appends HTML where every piece of text is encoded: the only raw markup is the literal tags written here, never a
/// value read from a manifest, a recording or a record.
/// </summary>
internal sealed class Html
{
    private readonly StringBuilder _sb = new();

    /// <summary>Literal markup written by this program (never data).</summary>
    public Html Raw(string markup)
    {
        _sb.Append(markup);
        return this;
    }

    /// <summary>Text content, HTML-encoded.</summary>
    public Html Text(string? text)
    {
        _sb.Append(WebUtility.HtmlEncode(text ?? string.Empty));
        return this;
    }

    /// <summary><c>&lt;tag&gt;text&lt;/tag&gt;</c> with the text encoded.</summary>
    public Html Element(string tag, string? text) => Raw($"<{tag}>").Text(text).Raw($"</{tag}>");

    /// <summary>A link to a file of the report folder, or the bare (encoded) name when the path is not a plain relative path.</summary>
    public Html Link(string path, string? text = null) =>
        ReportPaths.IsPlainRelative(path)
            ? Raw("<a href=\"").Text(ReportPaths.Url(path)).Raw("\">").Text(text ?? path).Raw("</a>")
            : Text(text ?? path);

    /// <summary>A table row of cells, each encoded.</summary>
    public Html Row(params string?[] cells)
    {
        Raw("<tr>");
        foreach (string? cell in cells) Element("td", cell);
        return Raw("</tr>");
    }

    /// <summary>A two-column table of names and values.</summary>
    public Html Facts(IEnumerable<(string Name, string? Value)> facts)
    {
        Raw("<table class=\"facts\">");
        foreach (var (name, value) in facts) Raw("<tr>").Element("th", name).Element("td", value).Raw("</tr>");
        return Raw("</table>\n");
    }

    public override string ToString() => _sb.ToString();

    public static string Seconds(double seconds) => seconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";

    /// <summary>Recording time as h:mm:ss.fff.</summary>
    public static string Clock(double seconds)
    {
        var t = TimeSpan.FromSeconds(Math.Max(0, seconds));
        return string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}.{t.Milliseconds:000}");
    }

    public static string Number(double value, string format = "0.##") => value.ToString(format, CultureInfo.InvariantCulture);
}
