using SamAudio.Storage.Tests;

namespace SamAudio.Worker.Tests;

/// <summary>
/// A 3-hour FLAC recording (an archive's night of field recording) on the cloud path: ingestion plans its shards
/// from STREAMINFO, two workers read each shard by seeking into the FLAC blob with ranged reads, and the stored
/// outputs are the bytes <c>samaudio batch</c> writes for the whole file on this machine.
/// </summary>
public sealed class FlacArchiveTests : IAsyncLifetime
{
    private const int Rate = 8_000;
    private const string Manifest = """
        { "schema": "samaudio.manifest/v1", "jobId": "night", "model": "passthrough",
          "defaults": { "prompts": [ { "text": "owl", "output": "both" } ] },
          "items": [ { "id": "night", "recording": "site/night.flac" } ] }
        """;

    private readonly TestStorage _storage = new();
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("samaudio-flac-");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _storage.CleanUpAsync();
        _folder.Delete(recursive: true);
    }

    [Fact]
    public async Task Three_hour_flac_is_sharded_by_ingestion_and_stored_as_a_local_batch_writes_it()
    {
        string site = Directory.CreateDirectory(Path.Combine(_folder.FullName, "in", "site")).FullName;
        TestFlac.Write(Path.Combine(site, "night.flac"), Rate, 1, 3L * 3600 * Rate, Night);
        string manifestPath = Path.Combine(_folder.FullName, "in", "night.json");
        await File.WriteAllTextAsync(manifestPath, Manifest);

        string local = Path.Combine(_folder.FullName, "local");
        await CloudRun.LocalBatchAsync("passthrough", manifestPath, local);

        var options = _storage.Options with { ShardLength = TimeSpan.FromMinutes(20) };
        var ingested = await CloudRun.SubmitAndQueueAsync(_storage, options, manifestPath);
        Assert.InRange(ingested.WorkItems.Count, 9, 10); // 3 h in shards of about 20 min on the model's window grid
        Assert.Equal(3 * 3600.0, Math.Round(ingested.WorkItems.Sum(w => w.Shard.AudioSeconds ?? 0), 6));

        await CloudRun.DrainAsync(_storage, options, count: 2, TimeSpan.FromMinutes(10));
        string fetched = Path.Combine(_folder.FullName, "fetched");
        await CloudRun.FetchAsync(_storage, options, "night", fetched);

        foreach (string name in new[] { "owl.target.wav", "owl.residual.wav", "owl.activity.csv", "selections.txt" })
        {
            string expected = Path.Combine(local, "night", "night", name);
            string stored = Path.Combine(fetched, "night", "night", name);
            Assert.True(Same(expected, stored), $"{name} differs from the local run ({new FileInfo(expected).Length} and {new FileInfo(stored).Length} bytes)");
        }

        string run = await File.ReadAllTextAsync(Path.Combine(fetched, "night", "night", "run.json"));
        Assert.Contains("\"verified\"", run, StringComparison.Ordinal); // the STREAMINFO MD5 was checked before the outputs were committed
    }

    /// <summary>A quiet night: low noise, and a hoot-like tone that comes and goes.</summary>
    private static void Night(long first, Span<short> block)
    {
        for (int i = 0; i < block.Length; i++)
        {
            long frame = first + i;
            double t = frame / (double)Rate;
            double hoot = Math.Sin(2 * Math.PI * 0.01 * t) > 0.7 ? 3000 * Math.Sin(2 * Math.PI * 400 * t) : 0;
            int noise = (int)(((ulong)frame * 0x9E3779B97F4A7C15UL) >> 60) - 8;
            block[i] = (short)Math.Round(hoot + noise);
        }
    }

    private static bool Same(string a, string b)
    {
        using var x = File.OpenRead(a);
        using var y = File.OpenRead(b);
        if (x.Length != y.Length) return false;
        var bx = new byte[1 << 20];
        var by = new byte[1 << 20];
        int n;
        while ((n = x.ReadAtLeast(bx, bx.Length, throwOnEndOfStream: false)) > 0)
        {
            y.ReadExactly(by, 0, n);
            if (!bx.AsSpan(0, n).SequenceEqual(by.AsSpan(0, n))) return false;
        }

        return true;
    }
}
