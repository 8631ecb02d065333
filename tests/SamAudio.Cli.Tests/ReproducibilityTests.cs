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
    public async Task A_batch_run_six_times_gives_the_same_bytes_every_time()
    {
        using var dir = new TempFolder();
        TestRecordings.Make(dir["a.wav"], new RecordingFormat(48_000, 1, SampleEncoding.Pcm16), 9);
        TestRecordings.Make(dir["b.wav"], new RecordingFormat(44_100, 1, SampleEncoding.Pcm24), 9);
        TestRecordings.Make(dir["c.wav"], new RecordingFormat(48_000, 2, SampleEncoding.Pcm16), 9);
        TestRecordings.Make(dir["d.wav"], new RecordingFormat(22_050, 1, SampleEncoding.Pcm16), 9);
        File.WriteAllText(dir["manifest.json"], Manifest);

        SortedDictionary<string, byte[]>? first = null;
        for (int run = 0; run < 6; run++)
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
}
