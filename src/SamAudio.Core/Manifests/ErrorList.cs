namespace SamAudio.Core.Manifests;

/// <summary>Collects <see cref="ManifestError"/>s in document order, keeping at most a given number.</summary>
internal sealed class ErrorList(int max)
{
    private readonly List<ManifestError> errors = [];
    private int unlisted;

    /// <summary>How many problems were found, listed or not.</summary>
    public int Count => errors.Count + unlisted;

    public void Add(string path, string message)
    {
        if (errors.Count < max)
        {
            errors.Add(new ManifestError(path, message));
        }
        else
        {
            unlisted++;
        }
    }

    public IReadOnlyList<ManifestError> ToList()
    {
        var list = new List<ManifestError>(errors);
        if (unlisted > 0)
        {
            list.Add(new ManifestError(
                JsonPath.Root,
                $"manifest: {unlisted} more problem(s) were found and not listed; fix the ones above and validate again"));
        }

        return list;
    }
}
