namespace SamAudio.Core.Provenance;

/// <summary>
/// <c>run.json</c>: everything needed to say what was done to one recording and to repeat it:
/// software, model files and hashes, parameters, seed, input and output hashes, timings and warnings.
/// </summary>
public sealed record RunRecord
{
    public const string SchemaId = "samaudio.run/v1";

    public string Schema { get; init; } = SchemaId;
    public required string Status { get; init; }
    public required string JobId { get; init; }
    public required string ItemId { get; init; }
    public required string Fingerprint { get; init; }
    public required SoftwareInfo Software { get; init; }

    /// <summary>
    /// The machine, as far as the output may still depend on it: our own arithmetic gives the same bits on every CPU,
    /// but ONNX Runtime chooses its kernels by the vector extensions it finds.
    /// </summary>
    public MachineInfo? Machine { get; init; }
    public InputRecord? Input { get; init; }
    public required ModelRecord Model { get; init; }
    public required RunParameters Parameters { get; init; }
    public required IReadOnlyList<PromptRecord> Prompts { get; init; }
    public IReadOnlyList<OutputRecord> Outputs { get; init; } = [];
    public required DateTimeOffset StartedAt { get; init; }
    public required DateTimeOffset FinishedAt { get; init; }
    public required IReadOnlyDictionary<string, double> TimingsSeconds { get; init; }
    public IReadOnlyList<string> Warnings { get; init; } = [];
    public string? Error { get; init; }

    /// <summary>For a recording separated in shards by workers: each shard's range, attempts and time; null locally.</summary>
    public IReadOnlyList<ShardRunRecord>? Shards { get; init; }
}

/// <summary>One shard of a recording as a worker processed it: frames written and read, deliveries, who, how long.</summary>
public sealed record ShardRunRecord(
    int Index,
    long StartFrame,
    long EndFrame,
    long ReadStartFrame,
    long ReadEndFrame,
    long Deliveries,
    string? Worker,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    double Seconds,
    long BytesRead);

/// <summary>The program that produced a run.</summary>
public sealed record SoftwareInfo(string Name, string Version, string Runtime, string OperatingSystem);

/// <summary>Processor architecture, logical processors and the vector extensions the CPU offers (e.g. avx512f, avx2, fma).</summary>
public sealed record MachineInfo(string Architecture, int Processors, IReadOnlyList<string> VectorExtensions);

/// <summary>
/// The recording as read (never modified): where, its hash, and what it holds. <c>Integrity</c> is the check of
/// the recording against its own integrity data, for example <c>{"method": "flac-md5", "result": "verified"}</c>
/// (see <see cref="Audio.IntegrityCheck"/>); absent where the format carries none. The cloud worker checks it in the item's first shard.
/// </summary>
public sealed record InputRecord(
    string Recording,
    string Sha256,
    long SizeBytes,
    string Container,
    string Encoding,
    int SampleRate,
    int Channels,
    long Frames,
    double DurationSeconds,
    Audio.IntegrityCheck? Integrity = null);

/// <summary>
/// The model pack: id, version, family, where it ran, every file's hash and, for a generative engine, the sampler
/// settings it ran with (absent otherwise).
/// </summary>
public sealed record ModelRecord(
    string Id,
    string Version,
    string Family,
    string ExecutionProvider,
    IReadOnlyList<Separation.ModelFileHash> Files,
    IReadOnlyDictionary<string, string>? Sampler = null);

/// <summary>
/// Every setting that changes the output bytes. <see cref="Mode"/> is <c>"faithful"</c> (the mixture masked by the
/// model's outputs, decision 0006) or <c>"direct"</c> (the model's outputs as they are); a run.json without it predates
/// faithful mode and was direct. <see cref="Activity"/>: the settings the activity tables were made with, with where they
/// came from (<see cref="Core.Activity.ActivityOptions.Source"/>) and what the confidence column means; a run.json without
/// it predates the record and used <see cref="Core.Activity.ActivityOptions.Defaults"/>. <see cref="Background"/>: the
/// settings the steady background was taken out of the targets with (decision 0010); absent where it was kept.
/// </summary>
public sealed record RunParameters(
    string Channel,
    double? StartSeconds,
    double? EndSeconds,
    long StartFrame,
    long EndFrame,
    double SegmentSeconds,
    double OverlapSeconds,
    int ModelSampleRate,
    int OutputSampleRate,
    string OutputSampleRateMode,
    int Seed,
    string NonFinite = "fail",
    int? Steps = null,
    string Mode = "direct",
    Activity.ActivityOptions? Activity = null,
    Dsp.BackgroundSuppressionOptions? Background = null)
{
    /// <summary>The <see cref="Mode"/> of a run: <c>"faithful"</c> or <c>"direct"</c>.</summary>
    public static string ModeName(bool faithful) => faithful ? "faithful" : "direct";
}

/// <summary>
/// A prompt exactly as written (after normalisation), its slug, which outputs were asked for, and how the model read
/// it against the captions it was trained on (absent when the model has no vocabulary).
/// </summary>
/// <remarks><c>Spans</c>: the prompt's present/absent spans in seconds of recording time; null for none.</remarks>
public sealed record PromptRecord(
    string Text, string Slug, string Output, Separation.PromptInterpretation? Interpretation = null, IReadOnlyList<Separation.PromptSpan>? Spans = null);

/// <summary>A file written for the item, relative to the item folder, with its hash.</summary>
public sealed record OutputRecord(
    string Path,
    string Kind,
    string? Prompt,
    string Sha256,
    long SizeBytes,
    long? Frames = null,
    int? SampleRate = null,
    long? ClippedSamples = null);
