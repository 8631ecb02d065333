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
        typeof(CamelCaseEnumConverter<WorkItemState>)])]
[JsonSerializable(typeof(WorkItem))]
[JsonSerializable(typeof(FailedWorkItem))]
[JsonSerializable(typeof(JobRecord))]
[JsonSerializable(typeof(JobStatusReport))]
[JsonSerializable(typeof(ManifestErrorReport))]
internal sealed partial class StorageJsonContext : JsonSerializerContext;

