using System.Text.Json;
using System.Text.Json.Serialization;
using SamAudio.Core.Manifests;
using SamAudio.Storage.Ingestion;
using SamAudio.Storage.Jobs;
using SamAudio.Storage.WorkItems;

namespace SamAudio.Storage;

/// <summary>Enum values as camelCase strings (<c>target</c>, <c>pending</c>).</summary>
internal sealed class CamelCaseEnumConverter<T>() : JsonStringEnumConverter<T>(JsonNamingPolicy.CamelCase, allowIntegerValues: false)
    where T : struct, Enum;

/// <summary>Source-generated JSON for every document SamAudio writes to storage (camelCase, nulls omitted).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(CamelCaseEnumConverter<OutputMode>), typeof(CamelCaseEnumConverter<JobState>),
        typeof(CamelCaseEnumConverter<WorkItemState>), typeof(CamelCaseEnumConverter<ShardState>)])]
[JsonSerializable(typeof(WorkItem))]
[JsonSerializable(typeof(FailedWorkItem))]
[JsonSerializable(typeof(JobRecord))]
[JsonSerializable(typeof(JobStatusReport))]
[JsonSerializable(typeof(ManifestErrorReport))]
[JsonSerializable(typeof(ShardMarker))]
internal sealed partial class StorageJsonContext : JsonSerializerContext;

/// <summary>The JSON context in use: <see cref="StorageJsonContext"/> with relaxed escaping, so ETags read <c>"0x8D..."</c>
/// rather than <c>\u00220x8D...\u0022</c> and non-ASCII prompts stay readable (nothing here is embedded in HTML).</summary>
internal static class StorageJson
{
    public static StorageJsonContext Context { get; } = new(new JsonSerializerOptions(StorageJsonContext.Default.Options)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    public static StorageJsonContext Indented { get; } = new(new JsonSerializerOptions(Context.Options) { WriteIndented = true });
}
