using System.Text.Json;
using SamAudio.Core.Segmentation;

namespace SamAudio.Storage.Ingestion;

/// <summary>
/// What ingestion must know of a model pack to plan work: its rate and preferred windows (the shard grid depends on
/// them) and the worker pool it runs in (a pack says whether it wants a GPU: the mask family runs on CPU replicas,
/// the flow family on GPUs).
/// </summary>
public sealed record ModelProfile(string Id, string Family, int SampleRate, double SegmentSeconds, double OverlapSeconds)
{
    /// <summary><c>cpu</c> or <c>gpu</c>: the pool whose queue gets this model's work items.</summary>
    public string Pool => Family == "flow" ? "gpu" : "cpu";

    /// <summary>
    /// Windows of extra shard context on each side for an item integrated in <paramref name="steps"/> ODE steps (null:
    /// the worker's default): the flow family solves across windows (multi-diffusion,
    /// <see cref="ShardGrid.MultiDiffusionReachWindows"/>), so a shard reads that far to give the local run's bytes;
    /// 0 for families that see one window at a time.
    /// </summary>
    public int SolveReachWindows(int? steps) => Family == "flow" ? ShardGrid.MultiDiffusionReachWindows(steps ?? FlowDefaultSteps) : 0;

    /// <summary>The worker's ODE steps for the flow family (<c>InferenceOptions.Steps</c>'s default).</summary>
    public const int FlowDefaultSteps = 16;
}

/// <summary>
/// The model packs ingestion knows, read from their <c>modelpack.json</c> files (only those fields; the weights
/// need not be where ingestion runs), plus the built-in <c>passthrough</c> diagnostic model.
/// </summary>
public sealed class ModelProfiles
{
    /// <summary>Environment variable with extra model folders, as for the command line.</summary>
    public const string RootsVariable = "SAMAUDIO_MODELS";

    private readonly Dictionary<string, ModelProfile> _profiles;

    public ModelProfiles(IEnumerable<ModelProfile> profiles)
    {
        ArgumentNullException.ThrowIfNull(profiles);
        _profiles = new Dictionary<string, ModelProfile>(StringComparer.Ordinal) { ["passthrough"] = new("passthrough", "diagnostic", 16_000, 10, 2) };
        foreach (var profile in profiles)
        {
            _profiles.TryAdd(profile.Id, profile);
        }
    }

    /// <summary>The packs in <c>SAMAUDIO_MODELS</c> folders and in <c>models/</c> beside the program.</summary>
    public static ModelProfiles Default { get; } = FromFolders([
        .. (Environment.GetEnvironmentVariable(RootsVariable) ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        Path.Combine(AppContext.BaseDirectory, "models")]);

    public IReadOnlyCollection<string> Ids => _profiles.Keys;

    public ModelProfile? Find(string id) => _profiles.GetValueOrDefault(id);

    /// <summary>Reads every <c>modelpack.json</c> up to three folders below each root; unreadable ones are skipped.</summary>
    public static ModelProfiles FromFolders(IEnumerable<string> roots)
    {
        var found = new List<ModelProfile>();
        var options = new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 3, IgnoreInaccessible = true };
        foreach (string root in roots.Where(Directory.Exists))
        {
            foreach (string file in Directory.EnumerateFiles(root, "modelpack.json", options).Order(StringComparer.Ordinal))
            {
                if (Read(file) is { } profile)
                {
                    found.Add(profile);
                }
            }
        }

        return new ModelProfiles(found);
    }

    private static ModelProfile? Read(string file)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(file));
            var root = doc.RootElement;
            return new ModelProfile(
                root.GetProperty("id").GetString()!,
                root.GetProperty("family").GetString()!,
                root.GetProperty("sampleRate").GetInt32(),
                root.GetProperty("segmentSeconds").GetDouble(),
                root.GetProperty("overlapSeconds").GetDouble());
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or IOException)
        {
            return null;
        }
    }
}
