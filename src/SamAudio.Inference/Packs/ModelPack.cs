using System.Security.Cryptography;
using System.Text.Json;
using SamAudio.Core.Separation;

namespace SamAudio.Inference.Packs;

/// <summary>
/// A model pack on disk (<c>models/&lt;id&gt;/modelpack.json</c> plus its files) whose manifest follows the contract
/// and whose every file is present with the SHA-256 the manifest gives. Graph inputs and outputs are checked when a
/// session opens them (<see cref="Runtime.GraphContract"/>).
/// </summary>
public sealed class ModelPack
{
    public const string ManifestFileName = "modelpack.json";
    public const string Schema = "samaudio.modelpack/v1";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        AllowTrailingCommas = false,
    };

    private ModelPack(string folder, ModelPackManifest manifest, IReadOnlyList<ModelFileHash> files, ModelFileHash manifestFile)
    {
        Folder = folder;
        Manifest = manifest;
        Files = files;
        ManifestFile = manifestFile;
    }

    /// <summary>Absolute folder holding <c>modelpack.json</c>.</summary>
    public string Folder { get; }

    public ModelPackManifest Manifest { get; }

    /// <summary>Every file of the pack with its verified SHA-256 and size.</summary>
    public IReadOnlyList<ModelFileHash> Files { get; }

    /// <summary><c>modelpack.json</c> itself, hashed as read (it carries the STFT and windowing parameters).</summary>
    public ModelFileHash ManifestFile { get; }

    public string Id => Manifest.Id;

    /// <summary>Reads, validates and hash-checks the pack in <paramref name="folder"/>.</summary>
    /// <exception cref="ModelPackException">The pack breaks the contract, lacks a file or a hash differs.</exception>
    public static ModelPack Load(string folder)
    {
        var manifest = ReadManifest(folder);
        string root = Path.GetFullPath(folder);
        var files = new List<ModelFileHash>();
        foreach (var (name, expected) in manifest.Files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            string path = Path.Combine(root, name);
            if (!File.Exists(path))
            {
                throw new ModelPackException(ModelPackError.MissingFile, path, $"file listed in {ManifestFileName} is missing.");
            }

            string actual;
            using (var stream = File.OpenRead(path))
            {
                actual = Convert.ToHexStringLower(SHA256.HashData(stream));
            }

            if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
            {
                throw new ModelPackException(
                    ModelPackError.HashMismatch, path, $"SHA-256 is {actual} but {ManifestFileName} expects {expected.ToLowerInvariant()}.");
            }

            files.Add(new ModelFileHash(manifest.Id + "/" + name, actual, new FileInfo(path).Length));
        }

        string manifestPath = Path.Combine(root, ManifestFileName);
        byte[] manifestBytes = File.ReadAllBytes(manifestPath);
        var manifestFile = new ModelFileHash(manifest.Id + "/" + ManifestFileName, Convert.ToHexStringLower(SHA256.HashData(manifestBytes)), manifestBytes.LongLength);
        return new ModelPack(root, manifest, files, manifestFile);
    }

    /// <summary>Reads and validates <c>modelpack.json</c> without hashing the files (for listings).</summary>
    /// <exception cref="ModelPackException">The manifest is absent, not JSON or breaks the contract.</exception>
    public static ModelPackManifest ReadManifest(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        string path = Path.Combine(Path.GetFullPath(folder), ManifestFileName);
        if (!File.Exists(path))
        {
            throw new ModelPackException(ModelPackError.NotFound, path, "no model pack here.");
        }

        ModelPackManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<ModelPackManifest>(File.ReadAllText(path), Json);
        }
        catch (JsonException e)
        {
            throw new ModelPackException(ModelPackError.InvalidManifest, path, $"{e.Message}");
        }

        if (manifest is null)
        {
            throw new ModelPackException(ModelPackError.InvalidManifest, path, "the manifest is null.");
        }

        string? problem = ModelPackRules.FirstProblem(manifest);
        return problem is null ? manifest : throw new ModelPackException(ModelPackError.InvalidManifest, path, problem);
    }

    /// <summary>Absolute path of a file of the pack.</summary>
    public string PathOf(string file) => Path.Combine(Folder, file);

    /// <summary>The graph named <paramref name="name"/> in the manifest.</summary>
    public GraphSpec Graph(string name) =>
        Manifest.Graphs.TryGetValue(name, out var graph)
            ? graph
            : throw new ModelPackException(ModelPackError.InvalidManifest, PathOf(ManifestFileName), $"graph '{name}' is not declared.");

    /// <summary>The engine identity for provenance: the manifest, every pack file and extra files (the text encoder's).</summary>
    public EngineDescription Describe(string executionProvider, IEnumerable<ModelFileHash> extraFiles, IReadOnlyDictionary<string, string>? sampler = null) =>
        new(Manifest.Id, Manifest.Version, Manifest.Family, Manifest.SampleRate, Manifest.SegmentSeconds, Manifest.OverlapSeconds,
            [ManifestFile, .. Files, .. extraFiles], executionProvider, sampler, Manifest.Activity?.ToOptions(Manifest.Id, Manifest.Version));
}
