using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SamAudio.Core.Provenance;

/// <summary>The one JSON style of every provenance file: camelCase, indented, enums as strings.</summary>
public static class ProvenanceJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options) + "\n";

    public static T? Deserialize<T>(string json) => JsonSerializer.Deserialize<T>(json, Options);

    /// <summary>This machine, as recorded in every run (see <see cref="RunRecord.Machine"/>).</summary>
    public static MachineInfo Machine { get; } = new(
        RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant(),
        Environment.ProcessorCount,
        [.. new (string Name, bool Present)[]
        {
            ("avx512f", System.Runtime.Intrinsics.X86.Avx512F.IsSupported),
            ("avx2", System.Runtime.Intrinsics.X86.Avx2.IsSupported),
            ("fma", System.Runtime.Intrinsics.X86.Fma.IsSupported),
            ("advsimd", System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported),
        }.Where(x => x.Present).Select(x => x.Name)]);

    /// <summary>This program, as recorded in every run.</summary>
    public static SoftwareInfo Software { get; } = new(
        "samaudio",
        typeof(ProvenanceJson).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0",
        RuntimeInformation.FrameworkDescription,
        RuntimeInformation.OSDescription);
}
