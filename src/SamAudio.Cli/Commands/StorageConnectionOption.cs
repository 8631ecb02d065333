using System.CommandLine;
using SamAudio.Storage;

namespace SamAudio.Cli.Commands;

/// <summary>
/// The <c>--connection</c> option shared by the storage commands, and how the connection is chosen: the option, else
/// <c>SAMAUDIO_STORAGE</c> (a connection string, or <c>SAMAUDIO_STORAGE__blobServiceUri</c> / <c>__queueServiceUri</c>
/// for identity-based access), else Azurite (<c>UseDevelopmentStorage=true</c>). Container and queue names come from
/// the same settings as the Functions app (<c>SamAudioWorkQueue</c>, ...), read from the environment.
/// </summary>
internal static class StorageConnectionOption
{
    public const string EnvironmentVariable = "SAMAUDIO_STORAGE";

    public static Option<string?> Create() => new("--connection")
    {
        Description = $"Storage connection string (default: ${EnvironmentVariable}, else Azurite's UseDevelopmentStorage=true).",
    };

    /// <summary>The client factory for the parsed <paramref name="option"/>.</summary>
    public static StorageClientFactory Factory(ParseResult parse, Option<string?> option)
    {
        if (parse.GetValue(option) is { Length: > 0 } explicitConnection)
            return new StorageClientFactory(StorageConnection.FromConnectionString(explicitConnection));
        var hasIdentity = Environment.GetEnvironmentVariable(EnvironmentVariable + "__blobServiceUri") is not null;
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is not null || hasIdentity)
            return new StorageClientFactory(StorageConnection.FromSettings(Environment.GetEnvironmentVariable, EnvironmentVariable));
        return new StorageClientFactory(StorageConnection.FromConnectionString("UseDevelopmentStorage=true"));
    }

    /// <summary>Container and queue names from the environment.</summary>
    public static StorageOptions Options() => StorageOptions.FromSettings(Environment.GetEnvironmentVariable);
}
