namespace SamAudio.Inference.Packs;

/// <summary>An installed model pack as a listing shows it.</summary>
/// <param name="Id">Pack id, or the folder name where the manifest cannot be read.</param>
/// <param name="Folder">Absolute folder of the pack.</param>
/// <param name="Manifest">The validated manifest, or null where <paramref name="Problem"/> says why not.</param>
/// <param name="Problem">Why the pack cannot be used, or null.</param>
public sealed record ModelCatalogEntry(string Id, string Folder, ModelPackManifest? Manifest, string? Problem);

/// <summary>
/// Model packs installed under one or more roots (by default the <c>models/</c> folder beside the application and
/// the folders in <c>SAMAUDIO_MODELS</c>), found as <c>modelpack.json</c> up to three folders deep.
/// </summary>
public sealed class ModelCatalog
{
    /// <summary>Environment variable with extra model roots, separated like PATH.</summary>
    public const string RootsVariable = "SAMAUDIO_MODELS";

    public ModelCatalog(IEnumerable<string> roots)
    {
        ArgumentNullException.ThrowIfNull(roots);
        Roots = roots.Select(Path.GetFullPath).Distinct(StringComparer.Ordinal).ToArray();
    }

    /// <summary><c>SAMAUDIO_MODELS</c> roots first, then <c>models/</c> beside the application.</summary>
    public static ModelCatalog Default
    {
        get
        {
            var extra = (Environment.GetEnvironmentVariable(RootsVariable) ?? "")
                .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return new ModelCatalog([.. extra, Path.Combine(AppContext.BaseDirectory, "models")]);
        }
    }

    public IReadOnlyList<string> Roots { get; }

    /// <summary>Every pack under the roots, ordered by id; unreadable ones carry their problem.</summary>
    public IReadOnlyList<ModelCatalogEntry> List()
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 3, IgnoreInaccessible = true };
        var entries = new List<ModelCatalogEntry>();
        foreach (string root in Roots.Where(Directory.Exists))
        {
            foreach (string file in Directory.EnumerateFiles(root, ModelPack.ManifestFileName, options))
            {
                string folder = Path.GetDirectoryName(file)!;
                try
                {
                    var manifest = ModelPack.ReadManifest(folder);
                    entries.Add(new ModelCatalogEntry(manifest.Id, folder, manifest, null));
                }
                catch (ModelPackException e)
                {
                    entries.Add(new ModelCatalogEntry(Path.GetFileName(folder), folder, null, e.Message));
                }
            }
        }

        return entries.OrderBy(e => e.Id, StringComparer.Ordinal).ThenBy(e => e.Folder, StringComparer.Ordinal).ToArray();
    }

    /// <summary>
    /// The folder of <paramref name="idOrFolder"/>: a folder holding <c>modelpack.json</c>, or the id of an installed
    /// pack (the first root that has it wins).
    /// </summary>
    /// <exception cref="ModelPackException">Neither a pack folder nor an installed id; the message lists the ids.</exception>
    public string Resolve(string idOrFolder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(idOrFolder);
        if (File.Exists(Path.Combine(idOrFolder, ModelPack.ManifestFileName)))
        {
            return Path.GetFullPath(idOrFolder);
        }

        var entries = List();
        var match = entries.FirstOrDefault(e => e.Manifest is not null && e.Id == idOrFolder);
        if (match is not null)
        {
            return match.Folder;
        }

        string installed = entries.Count == 0 ? "none" : string.Join(", ", entries.Select(e => e.Id).Distinct());
        throw new ModelPackException(ModelPackError.NotFound, idOrFolder,
            $"no model pack folder or installed pack with this id (installed: {installed}; searched {string.Join(", ", Roots)}).");
    }
}
