using System.Text.Json;
using SamAudio.Storage.Tests;

namespace SamAudio.Worker.Tests;

/// <summary>
/// The whole cloud path on Azurite with real worker processes: a manifest is submitted and ingested, three
/// <c>samaudio-worker --drain</c> processes share its shards, and the outputs in storage are byte-identical to
/// <c>samaudio batch</c> on the same manifest on this machine.
/// </summary>
public sealed class EndToEndTests : IAsyncLifetime
{
    private const string Manifest = """
        { "schema": "samaudio.manifest/v1", "jobId": "e2e", "model": "samaudio-mini",
          "defaults": { "prompts": [ { "text": "an owl hooting", "output": "both" }, "rain" ] },
          "items": [ { "id": "long", "recording": "site/long.wav" },
                     { "id": "stereo", "recording": "site/stereo.wav", "channel": "mix", "start": "00:00:01.5" } ] }
        """;

    private readonly TestStorage _storage = new();
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("samaudio-e2e-");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _storage.CleanUpAsync();
        _folder.Delete(recursive: true);
    }

    [Fact]
    public async Task Three_workers_share_a_long_recording_and_store_the_bytes_samaudio_batch_writes()
    {
        string site = Directory.CreateDirectory(Path.Combine(_folder.FullName, "in", "site")).FullName;
        TestRecording.Write(Path.Combine(site, "long.wav"), 48_000, 1, 15 * 60, seed: 1);
        TestRecording.Write(Path.Combine(site, "stereo.wav"), 44_100, 2, 21.7, seed: 2);
        string manifestPath = Path.Combine(_folder.FullName, "in", "e2e.json");
        await File.WriteAllTextAsync(manifestPath, Manifest);

        // The local run.
        string local = Path.Combine(_folder.FullName, "local");
        await CloudRun.LocalBatchAsync("samaudio-mini", manifestPath, local);

        // The cloud run: submit, ingest, three workers.
        var options = _storage.Options with { ShardLength = TimeSpan.FromSeconds(100) };
        var ingested = await CloudRun.SubmitAndQueueAsync(_storage, options, manifestPath);
        Assert.True(ingested.WorkItems.Count(w => w.ItemId == "long") >= 8, $"{ingested.WorkItems.Count} work items");
        Assert.Equal(options.CpuWorkQueue, ingested.Queue); // samaudio-mini runs on the CPU pool

        var outputs = await CloudRun.DrainAsync(_storage, options, count: 3, TimeSpan.FromMinutes(10));
        Assert.All(outputs, o => Assert.Contains("shard", o)); // each took part

        // What a user runs next: samaudio status, then samaudio fetch into the layout samaudio batch writes.
        var cli = ProcessSettings.Cli(_storage, options);
        using (var status = WorkerProcess.Start("samaudio", cli, "status", "e2e", "--json"))
        {
            Assert.Equal(0, await status.WaitAsync(TimeSpan.FromMinutes(1)));
            using var report = JsonDocument.Parse(status.Output);
            Assert.Equal("completed", report.RootElement.GetProperty("state").GetString());
            Assert.Equal(2, report.RootElement.GetProperty("items").GetProperty("done").GetInt32());
        }

        string fetched = Path.Combine(_folder.FullName, "fetched");
        await CloudRun.FetchAsync(_storage, options, "e2e", fetched);

        Assert.True(File.Exists(Path.Combine(fetched, "e2e", "job.json")), "the job summary is written when every item is done");
        var expected = Outputs(Path.Combine(local, "e2e"));
        var stored = Outputs(Path.Combine(fetched, "e2e"));
        Assert.Equal(12, expected.Count); // per item: owl target + residual, rain target, 2 activity tables, selections
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), stored.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, bytes) in expected)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(stored[name]), $"{name} differs from the local run ({bytes.Length} and {stored[name].Length} bytes)");
        }
    }

    /// <summary>
    /// The audio, activity tables and Raven tables of the items under a job folder (provenance holds times, so it
    /// differs; the worker's report, with its excerpt WAVs, is checked by <see cref="JobReportTests"/>).
    /// </summary>
    private static Dictionary<string, byte[]> Outputs(string jobFolder) =>
        Directory.GetFiles(jobFolder, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(jobFolder, f).StartsWith("report" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .Where(f => Path.GetExtension(f) is ".wav" or ".csv" || Path.GetFileName(f) == "selections.txt")
            .ToDictionary(f => Path.GetRelativePath(jobFolder, f).Replace('\\', '/'), File.ReadAllBytes);
}
