using System.Globalization;
using SamAudio.Core.Manifests;
using SamAudio.Core.Pipeline;
using SamAudio.Core.Provenance;
using SamAudio.Core.Separation;
using SamAudio.Core.Tests.Audio;

namespace SamAudio.Core.Tests.Pipeline;

/// <summary>
/// A batch decodes the next item while the engine still serves the one before it (<see cref="EngineTurn"/>): the
/// engine must still see one item at a time, in manifest order, records must keep that order, one bad recording must
/// fail alone, and every output must be the bytes of the items run one by one.
/// </summary>
public sealed class BatchRunnerTests : IDisposable
{
    private const int Rate = 16_000;
    private readonly TempDir _temp = new();

    [Fact]
    public async Task Items_take_the_engine_one_at_a_time_in_manifest_order_while_the_next_one_decodes()
    {
        int[] levels = [1, 2, 3, 4, 5, 6];
        var items = levels.Select(l => Item($"i{l}", Recording($"r{l}.wav", Rate, 1, 2.5, level: l))).ToArray();
        var engine = new LoggingEngine(windowMilliseconds: 15);

        var job = await RunBatchAsync(engine, "order", items);

        Assert.Equal("completed", job.Status);
        Assert.Equal(items.Select(i => i.Id), job.Items.Select(i => i.Id));
        Assert.Equal(1, engine.MostCallsAtOnce);
        // Each item's prompts, then its three windows, before the next item's prompts: the turns follow the manifest.
        Assert.Equal(levels.SelectMany(l => new[] { "prompts" }.Concat(Enumerable.Repeat($"{l}", 3))), engine.Calls);
        var waits = job.Items.Skip(1).Select(i => Run("order", i.Id).TimingsSeconds["engineWait"]).ToList();
        Assert.Contains(waits, w => w > 0); // the item was already decoding when it waited for its turn
    }

    [Fact]
    public async Task Outputs_and_failures_are_those_of_the_items_run_one_by_one()
    {
        File.WriteAllBytes(_temp.File("corrupt.wav"), [.. "RIFF"u8, 1, 2, 3, 4, .. "WAVEfmt "u8, 9, 9]);
        var items = new[]
        {
            Item("a", Recording("a.wav", 48_000, 2, 3.1, level: 1), output: "both"),
            Item("missing", "nowhere.wav"),
            Item("b", Recording("b.wav", 44_100, 1, 1.7, level: 2)),
            Item("corrupt", "corrupt.wav"),
            Item("c", Recording("c.wav", 22_050, 1, 0.4, level: 3), output: "both"),
            Item("channel", Recording("d.wav", 16_000, 1, 2.0, level: 4), channel: "1"),
            Item("e", Recording("e.wav", 16_000, 2, 4.2, level: 5), channel: "0", output: "both"),
        };

        var job = await RunBatchAsync(new LoggingEngine(windowMilliseconds: 2), "batch", items);

        Assert.Equal(items.Select(i => i.Id), job.Items.Select(i => i.Id));
        Assert.Equal(["completed", "failed", "completed", "failed", "completed", "failed", "completed"], job.Items.Select(i => i.Status));
        foreach (var item in items)
        {
            // The same item alone, with nothing before or after it.
            var alone = await RunBatchAsync(new LoggingEngine(), $"single-{item.Id}", [item]);
            Assert.Equal(alone.Items[0].Error, job.Items.Single(i => i.Id == item.Id).Error);
            string batchFolder = _temp.File($"out/batch/{item.Id}"), aloneFolder = _temp.File($"out/single-{item.Id}/{item.Id}");
            var names = Outputs(aloneFolder);
            Assert.Equal(names, Outputs(batchFolder));
            foreach (string name in names)
            {
                Assert.True(File.ReadAllBytes(Path.Combine(batchFolder, name)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(aloneFolder, name))), $"{item.Id}/{name} differs");
            }
        }
    }

    [Fact]
    public async Task Cancelled_batch_returns_only_when_no_item_is_writing_any_more()
    {
        var items = Enumerable.Range(1, 5).Select(l => Item($"i{l}", Recording($"r{l}.wav", 48_000, 1, 2.5, level: l))).ToArray();
        using var cts = new CancellationTokenSource();
        var engine = new LoggingEngine(windowMilliseconds: 10, onWindow: calls => { if (calls == 6) cts.Cancel(); });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => RunBatchAsync(engine, "cancel", items, cts.Token));

        string job = _temp.File("out/cancel");
        var before = Directory.GetFiles(job, "*", SearchOption.AllDirectories).Order().ToList();
        await Task.Delay(200);
        Assert.Equal(before, Directory.GetFiles(job, "*", SearchOption.AllDirectories).Order().ToList());
        Assert.All(items.Skip(2), i => Assert.False(Directory.Exists(Path.Combine(job, i.Id)) && Directory.EnumerateFiles(Path.Combine(job, i.Id)).Any(), $"{i.Id} left files"));
    }

    [Fact]
    public async Task A_model_reopened_for_other_sampler_settings_is_closed_only_once_no_item_uses_it()
    {
        var items = new[] { 1, 1, 2, 2, 1 }.Select((seed, i) => Item($"i{i}", Recording($"r{i}.wav", Rate, 1, 2.5, level: i + 1), seed: seed)).ToArray();
        var opened = new List<LoggingEngine>();
        await using var slot = new SamplerEngineSlot((s, _) =>
        {
            var engine = new LoggingEngine(windowMilliseconds: 10, seed: s.Seed);
            opened.Add(engine);
            return Task.FromResult<ISeparationEngine>(engine);
        });

        var job = await RunBatchAsync(slot, "seeds", items);

        Assert.All(job.Items, i => Assert.Equal("completed", i.Status)); // an engine called after it was closed throws
        Assert.Equal(3, opened.Count);
    }

    public void Dispose() => _temp.Dispose();

    /// <summary>One manifest item: two prompts, the first with <paramref name="Output"/>, the second target only.</summary>
    private sealed record Spec(string Id, string Recording, string Output, string Channel, int Seed)
    {
        public string Json => $$"""
            { "id": "{{Id}}", "recording": "{{Recording}}", "channel": "{{Channel}}", "seed": {{Seed}},
              "prompts": [ { "text": "a tone", "output": "{{Output}}" }, { "text": "noise", "output": "target" } ] }
            """;
    }

    private Task<JobRecord> RunBatchAsync(ISeparationEngine engine, string jobId, Spec[] items, CancellationToken cancellationToken = default) =>
        RunBatchAsync(new SamplerEngineSlot((_, _) => Task.FromResult(engine), ownsEngines: false), jobId, items, cancellationToken);

    private async Task<JobRecord> RunBatchAsync(SamplerEngineSlot engines, string jobId, Spec[] items, CancellationToken cancellationToken = default)
    {
        string json = $$"""
            { "schema": "samaudio.manifest/v1", "jobId": "{{jobId}}", "model": "test", "items": [ {{string.Join(", ", items.Select(i => i.Json))}} ] }
            """;
        string path = _temp.File($"{jobId}.json");
        File.WriteAllText(path, json);
        var manifest = ManifestReader.Parse(json).Manifest!;
        return await new BatchRunner(engines).RunAsync(manifest, path, new BatchOptions { OutputRoot = _temp.File("out") }, cancellationToken: cancellationToken);
    }

    private RunRecord Run(string jobId, string itemId) => ProvenanceJson.Deserialize<RunRecord>(File.ReadAllText(_temp.File($"out/{jobId}/{itemId}/run.json")))!;

    private static string[] Outputs(string folder) =>
        Directory.GetFiles(folder).Select(Path.GetFileName).Where(n => n != "run.json").Order(StringComparer.Ordinal).ToArray()!;

    private static Spec Item(string id, string recording, string output = "target", string channel = "mix", int seed = 0) => new(id, recording, output, channel, seed);

    /// <summary>A float WAV whose every sample starts with the item's level in hundredths, so each window says whose it is.</summary>
    private string Recording(string name, int rate, int channels, double seconds, int level)
    {
        int frames = (int)(rate * seconds);
        var samples = TestMixtures.Recording(rate, channels, frames, seed: level, lowHz: 220);
        for (int i = 0; i < samples.Length; i++)
        {
            samples[i] = (level / 100f) + (samples[i] * 0.004f);
        }

        FaithfulResidualTests.FloatWav.Write(_temp.File(name), rate, channels, samples);
        return name;
    }

    /// <summary>
    /// <see cref="WindowSensitiveEngine"/> at 16 kHz with 1 s windows and 0.25 s overlap that logs its calls (a window as
    /// its first sample in hundredths: the item's level), counts calls in progress at once, and refuses calls once closed.
    /// </summary>
    private sealed class LoggingEngine(int windowMilliseconds = 0, int? seed = null, Action<int>? onWindow = null) : ISeparationEngine
    {
        private readonly WindowSensitiveEngine _inner = new(Rate, 1, 0.25);
        private readonly List<string> _calls = [];
        private int _busy;
        private int _windows;
        private bool _closed;

        public EngineDescription Description { get; } = new("logging", "1", "test", Rate, 1, 0.25, [], "cpu",
            seed is { } s ? new Dictionary<string, string> { ["seed"] = s.ToString(CultureInfo.InvariantCulture), ["steps"] = "8" } : null);

        public IReadOnlyList<string> Calls => _calls;

        public int MostCallsAtOnce { get; private set; }

        public async ValueTask<PromptBatch> EncodePromptsAsync(IReadOnlyList<string> prompts, CancellationToken cancellationToken = default)
        {
            Enter("prompts");
            await Task.Yield();
            Interlocked.Decrement(ref _busy);
            return await _inner.EncodePromptsAsync(prompts, cancellationToken);
        }

        public async ValueTask SeparateAsync(ReadOnlyMemory<float> window, PromptBatch prompts, Memory<float> targets, Memory<float> residuals, CancellationToken cancellationToken = default)
        {
            Enter(MathF.Round(window.Span[0] * 100).ToString(CultureInfo.InvariantCulture));
            await Task.Delay(windowMilliseconds, cancellationToken);
            await _inner.SeparateAsync(window, prompts, targets, residuals, cancellationToken);
            Interlocked.Decrement(ref _busy);
            onWindow?.Invoke(Interlocked.Increment(ref _windows));
        }

        public ValueTask DisposeAsync()
        {
            _closed = true;
            return ValueTask.CompletedTask;
        }

        private void Enter(string call)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            int atOnce = Interlocked.Increment(ref _busy);
            lock (_calls)
            {
                MostCallsAtOnce = Math.Max(MostCallsAtOnce, atOnce);
                _calls.Add(call);
            }
        }
    }
}
