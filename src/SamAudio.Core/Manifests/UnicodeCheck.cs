using System.Text.Json;

namespace SamAudio.Core.Manifests;

/// <summary>
/// Finds strings and field names that cannot be decoded (an escaped unpaired surrogate such as "\ud800"), so
/// the validator can read every string without an exception. Valid JSON syntax does not rule them out.
/// </summary>
internal static class UnicodeCheck
{
    /// <summary>Reports each undecodable string at its path; true when there is none.</summary>
    public static bool Passes(JsonElement element, string path, ErrorList errors)
    {
        bool ok = true;
        switch (element.ValueKind)
        {
            case JsonValueKind.String when !Decodes(() => element.GetString()):
                errors.Add(path, $"manifest: the string at {path} is not valid Unicode (an unpaired surrogate escape); fix or remove it");
                return false;
            case JsonValueKind.Array:
                int index = 0;
                foreach (var child in element.EnumerateArray())
                {
                    ok &= Passes(child, JsonPath.Index(path, index++), errors);
                }

                return ok;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (!Decodes(() => property.Name))
                    {
                        errors.Add(path, $"manifest: a field name in {path} is not valid Unicode (an unpaired surrogate escape); fix or remove it");
                        ok = false;
                        continue;
                    }

                    ok &= Passes(property.Value, JsonPath.Property(path, property.Name), errors);
                }

                return ok;
            default:
                return true;
        }
    }

    private static bool Decodes(Func<string?> read)
    {
        try
        {
            _ = read();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
