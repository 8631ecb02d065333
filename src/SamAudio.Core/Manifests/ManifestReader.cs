using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SamAudio.Core.Manifests;

/// <summary>
/// Reads and validates <c>samaudio.manifest/v1</c> prompt manifests (docs/manifest.md). Every problem is
/// reported at once as a <see cref="ManifestError"/> with its JSON path; malformed JSON gives one error with
/// its line and position. Standard JSON only: no comments, no trailing commas.
/// </summary>
public static class ManifestReader
{
    private static readonly JsonDocumentOptions Options = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 16,
    };

    /// <summary>Parses and validates manifest text; a leading byte order mark is skipped.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="limits"/> is inconsistent.</exception>
    public static ManifestParseResult Parse(string json, ManifestLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        limits = Checked(limits);
        json = json.StartsWith('\uFEFF') ? json[1..] : json;
        long size = Encoding.UTF8.GetByteCount(json);
        return size > limits.MaxManifestBytes
            ? TooLarge(size, limits)
            : ParseDocument(() => JsonDocument.Parse(json, Options), limits);
    }

    /// <summary>Parses and validates UTF-8 manifest bytes (e.g. blob content); a leading byte order mark is skipped.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="limits"/> is inconsistent.</exception>
    public static ManifestParseResult Parse(ReadOnlyMemory<byte> utf8Json, ManifestLimits? limits = null)
    {
        limits = Checked(limits);
        if (utf8Json.Span.StartsWith(Encoding.UTF8.Preamble))
        {
            utf8Json = utf8Json[Encoding.UTF8.Preamble.Length..];
        }

        return utf8Json.Length > limits.MaxManifestBytes
            ? TooLarge(utf8Json.Length, limits)
            : ParseDocument(() => JsonDocument.Parse(utf8Json, Options), limits);
    }

    /// <summary>
    /// Reads a manifest file and validates it. A file over <see cref="ManifestLimits.MaxManifestBytes"/> is
    /// rejected before it is read. Resolve the items' recordings against the file's folder with
    /// <see cref="ManifestPaths.Resolve"/>.
    /// </summary>
    /// <exception cref="IOException">When the file cannot be read (for example <see cref="FileNotFoundException"/>).</exception>
    public static async Task<ManifestParseResult> ReadFileAsync(
        string path, ManifestLimits? limits = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        limits = Checked(limits);
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            throw new FileNotFoundException($"Manifest file \"{path}\" does not exist.", path);
        }

        if (file.Length > limits.MaxManifestBytes + Encoding.UTF8.Preamble.Length)
        {
            return TooLarge(file.Length, limits);
        }

        byte[] bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        return Parse(bytes, limits);
    }

    private static ManifestLimits Checked(ManifestLimits? limits)
    {
        limits ??= ManifestLimits.Default;
        limits.Validate();
        return limits;
    }

    private static ManifestParseResult TooLarge(long size, ManifestLimits limits) =>
        new(null, [new ManifestError(JsonPath.Root, string.Create(
            CultureInfo.InvariantCulture,
            $"manifest: the manifest is {size:N0} bytes; the limit is {limits.MaxManifestBytes:N0} bytes (split the job into several manifests)"))]);

    private static ManifestParseResult ParseDocument(Func<JsonDocument> parse, ManifestLimits limits)
    {
        JsonDocument document;
        try
        {
            document = parse();
        }
        catch (JsonException ex)
        {
            string reason = ex.Message;
            int cut = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
            reason = (cut > 0 ? reason[..cut] : reason)
                .Replace(" Change the reader options.", "", StringComparison.Ordinal)
                .TrimEnd('.', ' ');
            long line = (ex.LineNumber ?? 0) + 1;
            long position = (ex.BytePositionInLine ?? 0) + 1;
            return new(null, [new ManifestError(JsonPath.Root, $"manifest: not valid JSON at line {line}, position {position}: {reason}; fix the JSON syntax (standard JSON: no comments or trailing commas)")]);
        }

        using (document)
        {
            return new ManifestValidator(limits).Validate(document.RootElement);
        }
    }
}
