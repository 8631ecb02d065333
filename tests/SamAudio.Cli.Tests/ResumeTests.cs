using System.Text.Json;
using SamAudio.Core.Manifests;
using SamAudio.Core.Pipeline;
using SamAudio.Core.Separation;

namespace SamAudio.Cli.Tests;

public sealed class ResumeTests
{
    private const string Manifest = """
        { "schema": "samaudio.manifest/v1", "jobId": "r",
          "defaults": { "prompts": [ { "text": "a tone", "output": "both" }, "noise" ], "segmentSeconds": 1, "overlapSeconds": 0.25 },
          "items": [ { "id": "first", "recording": "a.wav" }, { "id": "second", "recording": "b.flac" }, { "id": "third", "recording": "c.wav" } ] }
        """;

    [Fact]
    public async Task Resume_after_an_interrupted_batch_finishes_with_the_same_output_bytes()
    {
        using var dir = new TempFolder();
        TestRecordings.Make(dir["a.wav"], new RecordingFormat(16_000, 1, SampleEncoding.Pcm16), 5);
        TestRecordings.CopyFixture("lossless.flac", dir["b.flac"]); // 2 s
        TestRecordings.Make(dir["c.wav"], new RecordingFormat(48_000, 2, SampleEncoding.Pcm24), 5);
        File.WriteAllText(dir["manifest.json"], Manifest);

        var clean = await CliRunner.RunAsync("batch", dir["manifest.json"], "--out", dir["clean"], "--model", "passthrough", "--quiet");
        Assert.True(clean.ExitCode == 0, clean.Error);

        // Interrupt a second run in the middle of the second item (2 s long), as Ctrl+C or a lost machine would, once the
        // first is recorded: the batch finishes an item (hashes, run.json) beside the next one's separation, so the second
        // item's progress waits for that record before the cancellation.
        var manifest = (await ManifestReader.ReadFileAsync(dir["manifest.json"])).Manifest!;
        using var cts = new CancellationTokenSource();
        var progress = new CancelWhen(p => p.ItemIndex == 1 && p.Item.DoneSeconds > 1, () => File.Exists(dir["resumed/r/first/run.json"]), cts);
        await using (var engine = new PassThroughEngine())
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                new BatchRunner(engine).RunAsync(manifest, dir["manifest.json"], new BatchOptions { OutputRoot = dir["resumed"] }, progress, cts.Token));
        }

        Assert.False(File.Exists(dir["resumed/r/second/run.json"]));
        Assert.False(File.Exists(dir["resumed/r/second/a-tone.target.wav"]));

        // What a SIGKILL leaves besides: temporaries of files being replaced (job.json after every item, an activity table).
        Directory.CreateDirectory(dir["resumed/r/second"]);
        File.WriteAllText(dir["resumed/r/job.json.4242.0123456789abcdef0123456789abcdef.partial"], "{");
        File.WriteAllText(dir["resumed/r/second/noise.activity.csv.4242.fedcba9876543210fedcba9876543210.partial"], "start");

        var resumed = await CliRunner.RunAsync("batch", dir["manifest.json"], "--out", dir["resumed"], "--model", "passthrough", "--resume", "--json");

        Assert.True(resumed.ExitCode == 0, resumed.Error);
        using var summary = JsonDocument.Parse(resumed.Out);
        Assert.Equal(1, summary.RootElement.GetProperty("counts").GetProperty("skipped").GetInt32());
        Assert.Equal(2, summary.RootElement.GetProperty("counts").GetProperty("completed").GetInt32());
        var cleanFiles = OutputFiles.Read(dir["clean/r"]);
        Assert.Equal(cleanFiles.Keys, OutputFiles.Read(dir["resumed/r"]).Keys);
        foreach (var (relative, bytes) in OutputFiles.Read(dir["resumed/r"]))
        {
            Assert.True(bytes.AsSpan().SequenceEqual(cleanFiles[relative]), $"{relative} differs after resume");
        }
    }

    /// <summary>Cancels at the first report that meets <paramref name="condition"/>, after waiting (up to a minute) for <paramref name="ready"/>.</summary>
    private sealed class CancelWhen(Func<BatchProgress, bool> condition, Func<bool> ready, CancellationTokenSource cts) : IProgress<BatchProgress>
    {
        public void Report(BatchProgress value)
        {
            if (cts.IsCancellationRequested || !condition(value))
            {
                return;
            }

            // Reports come synchronously from the item's separation, so this holds it here while other threads finish.
            SpinWait.SpinUntil(ready, TimeSpan.FromMinutes(1));
            cts.Cancel();
        }
    }
}
