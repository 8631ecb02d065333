using System.Text.Json;
using SamAudio.Core.Audio;

namespace SamAudio.Cli.Tests;

public sealed class BatchCommandTests
{
    [Fact]
    public async Task Batch_of_mixed_formats_writes_outputs_of_exact_duration_and_hashes_equal_to_sha256sum()
    {
        using var dir = new TempFolder();
        var items = new List<string>();
        foreach (var (file, write) in TestRecordings.MixedFormats)
        {
            write(dir[file]);
            items.Add($$"""{ "id": "{{Path.GetFileNameWithoutExtension(file)}}", "recording": "{{file}}", "prompts": [ { "text": "a tone", "output": "both" } ] }""");
        }

        File.WriteAllText(dir["manifest.json"], $$"""{ "schema": "samaudio.manifest/v1", "jobId": "mixed", "items": [ {{string.Join(",", items)}} ] }""");

        var (code, stdout, stderr) = await CliRunner.RunAsync("batch", dir["manifest.json"], "--out", dir["out"], "--model", "passthrough", "--json");

        Assert.True(code == 0, stderr);
        using var summary = JsonDocument.Parse(stdout);
        Assert.Equal(6, summary.RootElement.GetProperty("counts").GetProperty("completed").GetInt32());
        foreach (var (file, _) in TestRecordings.MixedFormats)
        {
            string item = Path.GetFileNameWithoutExtension(file);
            long inputFrames;
            using (var input = AudioReaders.Open(dir[file]))
            {
                inputFrames = input.Info.Frames;
            }

            foreach (var kind in new[] { "target", "residual" })
            {
                using var output = AudioReaders.Open(dir[$"out/mixed/{item}/a-tone.{kind}.wav"]);
                Assert.True(inputFrames == output.Info.Frames, $"{file} {kind}: {output.Info.Frames} frames, input has {inputFrames}");
            }

            using var run = JsonDocument.Parse(File.ReadAllText(dir[$"out/mixed/{item}/run.json"]));
            Assert.Equal("completed", run.RootElement.GetProperty("status").GetString());
            Assert.Equal(TestRecordings.Sha256Sum(dir[file]), run.RootElement.GetProperty("input").GetProperty("sha256").GetString());
            var machine = run.RootElement.GetProperty("machine");
            Assert.Equal(Environment.ProcessorCount, machine.GetProperty("processors").GetInt32());
            Assert.Equal(System.Runtime.Intrinsics.X86.Avx2.IsSupported, machine.GetProperty("vectorExtensions").EnumerateArray().Any(e => e.GetString() == "avx2"));
            foreach (var output in run.RootElement.GetProperty("outputs").EnumerateArray())
            {
                string path = dir[$"out/mixed/{item}/{output.GetProperty("path").GetString()}"];
                Assert.Equal(TestRecordings.Sha256Sum(path), output.GetProperty("sha256").GetString());
            }
        }
    }

    [Fact]
    public async Task A_corrupt_recording_fails_its_item_and_the_other_items_complete()
    {
        using var dir = new TempFolder();
        TestRecordings.Make(dir["good1.wav"], new RecordingFormat(16_000, 1, SampleEncoding.Pcm16), 2);
        TestRecordings.CopyFixture("lossless.flac", dir["good2.flac"]);
        File.WriteAllBytes(dir["corrupt.wav"], [.. "RIFF"u8, 1, 2, 3, 4, .. "WAVEjunkjunkjunk"u8]);
        File.WriteAllText(dir["manifest.json"], """
            { "schema": "samaudio.manifest/v1", "jobId": "j", "defaults": { "prompts": ["a tone"] },
              "items": [ { "id": "one", "recording": "good1.wav" }, { "id": "bad", "recording": "corrupt.wav" },
                         { "id": "missing", "recording": "nowhere.wav" }, { "id": "two", "recording": "good2.flac" } ] }
            """);

        var (code, _, stderr) = await CliRunner.RunAsync("batch", dir["manifest.json"], "--out", dir["out"], "--model", "passthrough", "--quiet");

        Assert.Equal(3, code);
        Assert.Contains("item 'bad' failed", stderr);
        Assert.Contains("item 'missing' failed", stderr);
        Assert.True(File.Exists(dir["out/j/one/a-tone.target.wav"]));
        Assert.True(File.Exists(dir["out/j/two/a-tone.target.wav"]));
        Assert.False(File.Exists(dir["out/j/bad/a-tone.target.wav"]));
        Assert.Empty(Directory.GetFiles(dir["out"], "*.partial", SearchOption.AllDirectories));
        using var job = JsonDocument.Parse(File.ReadAllText(dir["out/j/job.json"]));
        Assert.Equal(2, job.RootElement.GetProperty("counts").GetProperty("failed").GetInt32());
        Assert.Equal(2, job.RootElement.GetProperty("counts").GetProperty("completed").GetInt32());
        using var badRun = JsonDocument.Parse(File.ReadAllText(dir["out/j/bad/run.json"]));
        Assert.Equal("failed", badRun.RootElement.GetProperty("status").GetString());
        Assert.False(string.IsNullOrWhiteSpace(badRun.RootElement.GetProperty("error").GetString()));
    }

    [Fact]
    public async Task An_invalid_manifest_exits_2_lists_every_problem_and_processes_nothing()
    {
        using var dir = new TempFolder();
        TestRecordings.Make(dir["a.wav"], new RecordingFormat(16_000, 1, SampleEncoding.Pcm16), 1);
        File.WriteAllText(dir["manifest.json"], """
            { "schema": "samaudio.manifest/v1", "jobId": "j",
              "items": [ { "id": "ok", "recording": "a.wav", "prompts": ["x"] },
                         { "id": "bad", "recording": "../escape.wav", "prompts": ["x"], "ouput": "both" } ] }
            """);

        var (code, _, stderr) = await CliRunner.RunAsync("batch", dir["manifest.json"], "--out", dir["out"], "--model", "passthrough");

        Assert.Equal(2, code);
        Assert.Contains("$.items[1].recording", stderr);
        Assert.Contains("$.items[1].ouput", stderr);
        Assert.False(Directory.Exists(dir["out"]));
    }
}
