namespace SamAudio.Cli.Tests;

/// <summary>
/// The same manifest, model and seed give the same bytes on every run: the promise forensic users and the sharded
/// cloud path rely on. Several items in one batch, with resampling down to the model's rate and back up, so that
/// decode, model and the writers' threads all overlap, as they do when timing used to change the output.
/// </summary>
public sealed class ReproducibilityTests
{
    private const string Manifest = """
        { "schema": "samaudio.manifest/v1", "jobId": "again", "model": "samaudio-mini",
          "defaults": { "prompts": [ { "text": "an owl hooting", "output": "both" }, "rain" ], "segmentSeconds": 2, "overlapSeconds": 0.5 },
          "items": [ { "id": "a", "recording": "a.wav" }, { "id": "b", "recording": "b.wav" },
                     { "id": "c", "recording": "c.wav", "channel": "1" }, { "id": "d", "recording": "d.wav" } ] }
        """;

    [Fact]
    public async Task A_batch_run_twenty_times_gives_the_same_bytes_every_time()
    {
        using var dir = Prepare();

        SortedDictionary<string, byte[]>? first = null;
        for (int run = 0; run < 20; run++)
        {
            string output = dir[$"run{run}"];
            var result = await CliRunner.RunAsync("batch", dir["manifest.json"], "--out", output, "--quiet");
            Assert.True(result.ExitCode == 0, result.Error);
            var files = OutputFiles.Read(Path.Combine(output, "again"));
            first ??= files;
            Assert.Equal(first.Keys, files.Keys);
            foreach (var (relative, bytes) in files)
            {
                Assert.True(bytes.AsSpan().SequenceEqual(first[relative]), $"{relative} differs in run {run} from run 0");
            }
        }

        Assert.Equal(4 * 6, first!.Count); // per item: 2 targets, 1 residual, 2 activity tables, selections.txt
    }

    [Fact]
    public async Task Separate_processes_pinned_to_one_cpu_or_not_and_a_killed_and_resumed_one_give_the_same_bytes()
    {
        using var dir = Prepare();
        var reference = await InProcessAsync(dir, "reference");

        foreach (var (name, pinned) in new[] { ("pinned0", true), ("free0", false), ("pinned1", true), ("free1", false) })
        {
            using var run = CliProcess.Start(pinned, "batch", dir["manifest.json"], "--out", dir[name], "--quiet");
            if (pinned) Assert.Equal("0", run.AllowedCpus());
            Assert.Equal(0, await run.WaitAsync(TimeSpan.FromMinutes(3)));
            AssertSame(reference, OutputFiles.Read(Path.Combine(dir[name], "again")), name);
        }

        // Killed once the first item is complete and the second under way, then resumed: the same bytes as one run.
        using (var killed = CliProcess.Start(false, "batch", dir["manifest.json"], "--out", dir["killed"], "--quiet"))
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
            while (!File.Exists(dir["killed/again/a/run.json"]) && DateTime.UtcNow < deadline) await Task.Delay(20);
            killed.KillNow();
        }

        Assert.True(File.Exists(dir["killed/again/a/run.json"]), "the first item finished before the kill");
        Assert.False(File.Exists(dir["killed/again/d/run.json"]), "the kill came before the last item finished");
        var resumed = await CliRunner.RunAsync("batch", dir["manifest.json"], "--out", dir["killed"], "--resume", "--quiet");
        Assert.True(resumed.ExitCode == 0, resumed.Error);
        AssertSame(reference, OutputFiles.Read(Path.Combine(dir["killed"], "again")), "killed and resumed");
    }

    private static TempFolder Prepare()
    {
        var dir = new TempFolder();
        TestRecordings.Make(dir["a.wav"], new RecordingFormat(48_000, 1, SampleEncoding.Pcm16), 9);
        TestRecordings.Make(dir["b.wav"], new RecordingFormat(44_100, 1, SampleEncoding.Pcm24), 9);
        TestRecordings.Make(dir["c.wav"], new RecordingFormat(48_000, 2, SampleEncoding.Pcm16), 9);
        // The last item is the longest: a kill as soon as the first is recorded must come before it ends, and the batch
        // runs the next items while one is recorded, at about 40 ms per nine-second item.
        TestRecordings.Make(dir["d.wav"], new RecordingFormat(22_050, 1, SampleEncoding.Pcm16), 90);
        File.WriteAllText(dir["manifest.json"], Manifest);
        return dir;
    }

    private static async Task<SortedDictionary<string, byte[]>> InProcessAsync(TempFolder dir, string name)
    {
        var result = await CliRunner.RunAsync("batch", dir["manifest.json"], "--out", dir[name], "--quiet");
        Assert.True(result.ExitCode == 0, result.Error);
        return OutputFiles.Read(Path.Combine(dir[name], "again"));
    }

    private static void AssertSame(SortedDictionary<string, byte[]> expected, SortedDictionary<string, byte[]> actual, string run)
    {
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (relative, bytes) in actual)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(expected[relative]), $"{relative} differs in run '{run}' from the in-process run");
        }
    }
}
