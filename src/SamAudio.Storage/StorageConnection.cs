namespace SamAudio.Storage;

/// <summary>
/// How to reach a storage account: a connection string (Azurite, <c>UseDevelopmentStorage=true</c>) or identity-based
/// service URIs, read from settings named like the Functions extension's: <c>&lt;Name&gt;</c> for a connection string,
/// or <c>&lt;Name&gt;__blobServiceUri</c>, <c>__queueServiceUri</c>, <c>__credential</c> (<c>managedidentity</c>) and
/// <c>__clientId</c> (a user-assigned identity).
/// </summary>
public sealed record StorageConnection
{
    /// <summary>Connection string; null when the connection is identity-based.</summary>
    public string? ConnectionString { get; init; }

    /// <summary>Blob service endpoint for identity-based connections.</summary>
    public Uri? BlobServiceUri { get; init; }

    /// <summary>Queue service endpoint for identity-based connections.</summary>
    public Uri? QueueServiceUri { get; init; }

    /// <summary><c>managedidentity</c> to use only the managed identity; anything else uses DefaultAzureCredential.</summary>
    public string? Credential { get; init; }

    /// <summary>Client id of a user-assigned managed identity, or null.</summary>
    public string? ClientId { get; init; }

    /// <summary>A connection from a connection string.</summary>
    public static StorageConnection FromConnectionString(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return new StorageConnection { ConnectionString = connectionString };
    }

    /// <summary>
    /// Reads the settings of connection <paramref name="name"/> through <paramref name="setting"/> (for example
    /// environment variables or IConfiguration). Both <c>Name__key</c> and <c>Name:key</c> spellings are accepted.
    /// </summary>
    /// <exception cref="InvalidOperationException">Neither a connection string nor both service URIs are set.</exception>
    public static StorageConnection FromSettings(Func<string, string?> setting, string name)
    {
        ArgumentNullException.ThrowIfNull(setting);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        string? Get(string key) => setting($"{name}__{key}") ?? setting($"{name}:{key}");
        var connectionString = setting(name);
        if (!string.IsNullOrWhiteSpace(connectionString))
            return FromConnectionString(connectionString);
        var blob = Get("blobServiceUri");
        var queue = Get("queueServiceUri");
        if (string.IsNullOrWhiteSpace(blob) || string.IsNullOrWhiteSpace(queue))
            throw new InvalidOperationException(
                $"Storage connection '{name}' is not configured: set '{name}' to a connection string, or " +
                $"'{name}__blobServiceUri' and '{name}__queueServiceUri' (with '{name}__credential' and '{name}__clientId' for a managed identity).");
        return new StorageConnection
        {
            BlobServiceUri = new Uri(blob, UriKind.Absolute),
            QueueServiceUri = new Uri(queue, UriKind.Absolute),
            Credential = Get("credential"),
            ClientId = Get("clientId"),
        };
    }
}
