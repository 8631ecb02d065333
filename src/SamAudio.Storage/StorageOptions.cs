namespace SamAudio.Storage;

/// <summary>Names and sizes the SamAudio storage layout uses. Call <see cref="Validate"/> before use.</summary>
public sealed record StorageOptions
{
    /// <summary>Container the manifests are uploaded to (the blob trigger watches it).</summary>
    public string ManifestContainer { get; init; } = "manifests";

    /// <summary>Container the recordings live in; a recording path resolves under the manifest's folder.</summary>
    public string RecordingContainer { get; init; } = "recordings";

    /// <summary>
    /// Container of jobs: outputs and the final summary (<c>&lt;jobId&gt;/&lt;itemId&gt;/...</c>, <c>&lt;jobId&gt;/job.json</c>)
    /// and their state (<c>&lt;jobId&gt;/_state/job.json</c>, <c>&lt;jobId&gt;/_state/shards/...</c>).
    /// </summary>
    public string JobContainer { get; init; } = "jobs";


    /// <summary>Queue of the CPU worker pool (mask-family packs); its workers give up to <c>&lt;queue&gt;-poison</c>.</summary>
    public string CpuWorkQueue { get; init; } = "work-items-cpu";

    /// <summary>Queue of the GPU worker pool (flow-family packs); its workers give up to <c>&lt;queue&gt;-poison</c>.</summary>
    public string GpuWorkQueue { get; init; } = "work-items-gpu";

    /// <summary>Longest time range one work item covers; longer recordings are split into shards.</summary>
    public TimeSpan ShardLength { get; init; } = TimeSpan.FromMinutes(10);


    /// <summary>Dequeue count after which the worker gives a message up to the poison queue (carried in each work item).</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>Recording lookups run at the same time during ingestion.</summary>
    public int IngestConcurrency { get; init; } = 16;


    /// <summary>The work queue of a worker pool, <c>cpu</c> or <c>gpu</c>.</summary>
    public string QueueOf(string pool) => pool switch
    {
        "cpu" => CpuWorkQueue,
        "gpu" => GpuWorkQueue,
        _ => throw new ArgumentOutOfRangeException(nameof(pool), pool, "A worker pool is cpu or gpu."),
    };

    /// <summary>The poison queue of <paramref name="workQueue"/>: <c>&lt;queue&gt;-poison</c>.</summary>
    public static string PoisonQueueOf(string workQueue) => workQueue + "-poison";

    /// <summary>
    /// Options from flat settings (app settings or environment variables): <c>SamAudioManifestContainer</c>,
    /// <c>SamAudioRecordingContainer</c>, <c>SamAudioJobContainer</c>, <c>SamAudioCpuWorkQueue</c>,
    /// <c>SamAudioGpuWorkQueue</c>,
    /// <c>SamAudioShardSeconds</c>, <c>SamAudioMaxAttempts</c>; unset ones keep
    /// their defaults. Validated.
    /// </summary>
    public static StorageOptions FromSettings(Func<string, string?> setting)
    {
        ArgumentNullException.ThrowIfNull(setting);
        var defaults = new StorageOptions();
        TimeSpan Seconds(string key, TimeSpan fallback) => setting(key) is { Length: > 0 } v
            ? TimeSpan.FromSeconds(double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)) : fallback;
        return new StorageOptions
        {
            ManifestContainer = setting("SamAudioManifestContainer") ?? defaults.ManifestContainer,
            RecordingContainer = setting("SamAudioRecordingContainer") ?? defaults.RecordingContainer,
            JobContainer = setting("SamAudioJobContainer") ?? defaults.JobContainer,
            CpuWorkQueue = setting("SamAudioCpuWorkQueue") ?? defaults.CpuWorkQueue,
            GpuWorkQueue = setting("SamAudioGpuWorkQueue") ?? defaults.GpuWorkQueue,
            ShardLength = Seconds("SamAudioShardSeconds", defaults.ShardLength),
            MaxAttempts = setting("SamAudioMaxAttempts") is { Length: > 0 } attempts
                ? int.Parse(attempts, System.Globalization.CultureInfo.InvariantCulture) : defaults.MaxAttempts,
        }.Validate();
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for a value out of range.</summary>
    public StorageOptions Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ShardLength, TimeSpan.FromSeconds(1), nameof(ShardLength));
        ArgumentOutOfRangeException.ThrowIfLessThan(IngestConcurrency, 1, nameof(IngestConcurrency));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxAttempts, 1, nameof(MaxAttempts));
        foreach (var (name, value) in new[] { (nameof(ManifestContainer), ManifestContainer), (nameof(RecordingContainer), RecordingContainer),
                     (nameof(JobContainer), JobContainer), (nameof(CpuWorkQueue), CpuWorkQueue),
                     (nameof(GpuWorkQueue), GpuWorkQueue) })
        {
            if (string.IsNullOrWhiteSpace(value) || value.Length is < 3 or > 56 || !value.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
                throw new ArgumentOutOfRangeException(name, value, "Container and queue names are 3-56 lower-case letters, digits and '-'.");
        }
        return this;
    }
}
