using System.Globalization;
using SamAudio.Storage;

namespace SamAudio.Worker;

/// <summary>
/// The worker's settings, named as in the Functions app where they overlap: <c>SamAudioStorage</c> (or its
/// <c>__blobServiceUri</c>/<c>__queueServiceUri</c>/<c>__credential</c>/<c>__clientId</c> keys),
/// <c>SamAudioWorkQueue</c> (by default the queue of <c>SamAudioPool</c>, <c>cpu</c> or <c>gpu</c>), <c>SamAudioLeaseSeconds</c>, <c>SamAudioMaxAttempts</c>, <c>SamAudioModels</c>,
/// <c>SamAudioConcurrency</c>, <c>SamAudioReplicaTimeoutSeconds</c>, <c>SamAudioHealthPort</c>, <c>SamAudioHealthTimeoutSeconds</c>, <c>SamAudioReport</c>,
/// and the container names of <see cref="StorageOptions"/>. (<c>SamAudioTelemetry</c> is read in <c>Program.cs</c>.)
/// </summary>
internal sealed record WorkerOptions
{
    public const string ConnectionName = "SamAudioStorage";

    public required StorageConnection Connection { get; init; }

    public required StorageOptions Storage { get; init; }

    /// <summary>The queue this worker takes work items from.</summary>
    public required string Queue { get; init; }

    /// <summary>Visibility timeout of a received message; renewed at a third of it while the shard runs.</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>Deliveries after which a failing work item goes to the poison queue.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>Work items processed at the same time (one engine each); 1 suits a GPU.</summary>
    public int Concurrency { get; init; } = 1;

    /// <summary>Extra folders of model packs, searched before the packs shipped with the worker.</summary>
    public IReadOnlyList<string> ModelFolders { get; init; } = [];

    /// <summary>
    /// How long the platform lets this process run (a Container Apps job's replicaTimeout), or null for no limit: the
    /// worker takes no new work item when the slowest shard so far would not finish in the time left.
    /// </summary>
    public TimeSpan? ReplicaTimeout { get; init; }

    /// <summary>Port of the liveness endpoint (<c>/healthz</c>, <c>/readyz</c>); 0 turns it off.</summary>
    public int HealthPort { get; init; } = 8080;

    /// <summary>
    /// How long the worker may go without a receive or lease renewal before <c>/healthz</c> answers 503, or null for
    /// twice the renewal period (two thirds of <see cref="Lease"/>), at least 30 s.
    /// </summary>
    public TimeSpan? HealthTimeout { get; init; }

    /// <summary>The staleness limit in force: <see cref="HealthTimeout"/>, or twice the renewal period and at least 30 s.</summary>
    public TimeSpan LivenessWindow => HealthTimeout ?? TimeSpan.FromTicks(Math.Max(2 * (Lease / 3).Ticks, TimeSpan.FromSeconds(30).Ticks));

    /// <summary>Run until the queue holds no message at all (visible or not), instead of until none is visible.</summary>
    public bool Drain { get; init; }

    /// <summary>
    /// Whether the worker that completes a job writes its report (<c>report.html</c>, pictures, excerpts) under
    /// <c>&lt;jobId&gt;/</c> before <c>job.json</c>: setting <c>SamAudioReport</c> = <c>on</c> (default) or <c>off</c>.
    /// </summary>
    public bool Report { get; init; } = true;

    /// <summary>Where shard pieces and non-WAV recordings are kept while a shard runs.</summary>
    public string TemporaryFolder { get; init; } = Path.Combine(Path.GetTempPath(), "samaudio-worker");

    public static WorkerOptions FromSettings(Func<string, string?> setting, string? connectionString = null, bool drain = false)
    {
        ArgumentNullException.ThrowIfNull(setting);
        var storage = StorageOptions.FromSettings(setting);
        int Int(string key, int fallback) => setting(key) is { Length: > 0 } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        var options = new WorkerOptions
        {
            Connection = connectionString is { Length: > 0 } cs ? StorageConnection.FromConnectionString(cs) : StorageConnection.FromSettings(setting, ConnectionName),
            Storage = storage,
            Queue = setting("SamAudioWorkQueue") ?? storage.QueueOf(setting("SamAudioPool") ?? "cpu"),
            Lease = TimeSpan.FromSeconds(Int("SamAudioLeaseSeconds", 300)),
            MaxAttempts = Int("SamAudioMaxAttempts", storage.MaxAttempts),
            Concurrency = Int("SamAudioConcurrency", 1),
            ModelFolders = (setting("SamAudioModels") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            Drain = drain,
            ReplicaTimeout = setting("SamAudioReplicaTimeoutSeconds") is { Length: > 0 } timeout ? TimeSpan.FromSeconds(int.Parse(timeout, CultureInfo.InvariantCulture)) : null,
            HealthPort = Int("SamAudioHealthPort", 8080),
            HealthTimeout = setting("SamAudioHealthTimeoutSeconds") is { Length: > 0 } stale ? TimeSpan.FromSeconds(int.Parse(stale, CultureInfo.InvariantCulture)) : null,
            Report = OnOff(setting("SamAudioReport"), "SamAudioReport", fallback: true),
            TemporaryFolder = setting("SamAudioTemp") is { Length: > 0 } temp ? temp : Path.Combine(Path.GetTempPath(), "samaudio-worker"),
        };
        return options.Validate();
    }

    private static bool OnOff(string? value, string name, bool fallback) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" => fallback,
        "on" => true,
        "off" => false,
        _ => throw new ArgumentOutOfRangeException(name, value, $"{name} is 'on' or 'off'."),
    };

    public WorkerOptions Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Lease, TimeSpan.FromSeconds(3), nameof(Lease));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Lease, TimeSpan.FromDays(7), nameof(Lease));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxAttempts, 1, nameof(MaxAttempts));
        ArgumentOutOfRangeException.ThrowIfLessThan(Concurrency, 1, nameof(Concurrency));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Concurrency, 64, nameof(Concurrency));
        ArgumentException.ThrowIfNullOrWhiteSpace(Queue, nameof(Queue));
        ArgumentOutOfRangeException.ThrowIfNegative(HealthPort, nameof(HealthPort));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(HealthPort, 65535, nameof(HealthPort));
        if (HealthTimeout is { } timeout)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero, nameof(HealthTimeout));
        }

        return this;
    }
}
