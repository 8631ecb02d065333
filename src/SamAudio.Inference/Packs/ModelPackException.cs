namespace SamAudio.Inference.Packs;

/// <summary>Why a model pack was refused.</summary>
public enum ModelPackError
{
    /// <summary>No pack with that id is installed and no such folder exists.</summary>
    NotFound,

    /// <summary><c>modelpack.json</c> is not valid JSON or breaks the contract.</summary>
    InvalidManifest,

    /// <summary>A file the pack lists is absent.</summary>
    MissingFile,

    /// <summary>A file's SHA-256 differs from the pack's.</summary>
    HashMismatch,

    /// <summary>A graph's inputs or outputs differ from what the pack declares.</summary>
    GraphMismatch,

    /// <summary>The pack is valid but names a family or text encoder this build cannot run.</summary>
    Unsupported,
}

/// <summary>A model pack that cannot be used; <see cref="Exception.Message"/> names the file and the difference.</summary>
public sealed class ModelPackException : Exception
{
    public ModelPackException(ModelPackError error, string path, string message)
        : base($"{path}: {message}")
    {
        Error = error;
        Path = path;
    }

    public ModelPackException()
    {
        Path = "";
    }

    public ModelPackException(string message)
        : base(message)
    {
        Path = "";
    }

    public ModelPackException(string message, Exception innerException)
        : base(message, innerException)
    {
        Path = "";
    }

    /// <summary>What is wrong, as a typed code.</summary>
    public ModelPackError Error { get; }

    /// <summary>The file (or folder) the error is about.</summary>
    public string Path { get; }
}
