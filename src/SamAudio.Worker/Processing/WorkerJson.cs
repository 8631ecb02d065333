using System.Text.Json;
using SamAudio.Core.Provenance;

namespace SamAudio.Worker.Processing;

/// <summary>JSON of the worker's own records: the provenance conventions (camelCase, enums as names, indented).</summary>
internal static class WorkerJson
{
    public static JsonSerializerOptions Options => ProvenanceJson.Options;

    public static T Deserialize<T>(string json, string what) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new InvalidDataException($"{what} holds JSON null.");
}
