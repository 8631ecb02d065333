using System.Text;
using SamAudio.Core.Audio;
using SamAudio.Core.Manifests;

namespace SamAudio.Core.Tests.Manifests;

public sealed class ManifestReaderTests
{
    private const string DesignExample = """
        {
          "schema": "samaudio.manifest/v1",
          "jobId": "owl-survey-2026-05",
          "model": "samaudio-mini",
          "defaults": { "prompts": ["wind noise"], "output": "target", "segmentSeconds": 10, "overlapSeconds": 2 },
          "items": [
            { "id": "site-a-night1", "recording": "site-a/2026-05-01T2000.wav",
              "sha256": "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08",
              "prompts": [ { "text": "owl hooting", "output": "both" }, "rain on leaves" ],
              "start": "00:10:00", "end": "01:00:00", "channel": "mix" }
          ]
        }
        """;

    [Fact]
    public void Design_example_parses_with_every_value_in_place()
    {
        var result = ManifestReader.Parse(DesignExample);

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Empty(result.Errors);
        var manifest = result.Manifest!;
        Assert.Equal(("samaudio.manifest/v1", "owl-survey-2026-05", "samaudio-mini"), (manifest.Schema, manifest.JobId, manifest.Model));
        var item = Assert.Single(manifest.Items);
        Assert.Equal(("site-a-night1", "site-a/2026-05-01T2000.wav", 0), (item.Id, item.Recording, item.Index));
        Assert.Equal("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", item.Sha256);
        Assert.Equal([new PromptSpec("owl hooting", OutputMode.Both), new PromptSpec("rain on leaves", OutputMode.Target)], item.Prompts);
        Assert.Equal(["owl-hooting", "rain-on-leaves"], item.Prompts.Select(p => p.Slug));
        Assert.Equal((TimeSpan.FromMinutes(10), TimeSpan.FromHours(1)), (item.Start, item.End));
        Assert.Equal(ChannelSelection.Mix, item.Channel);
        Assert.Equal((10.0, 2.0), (item.SegmentSeconds, item.OverlapSeconds));
    }

    [Fact]
    public void Minimal_manifest_gets_the_documented_defaults()
    {
        var item = ParseItems("""[{ "id": "a", "recording": "a.wav", "prompts": ["owl"] }]""").Single();

        Assert.Equal(new PromptSpec("owl", OutputMode.Target), Assert.Single(item.Prompts));
        Assert.Null(item.Start);
        Assert.Null(item.End);
        Assert.Null(item.Sha256);
        Assert.Equal(ChannelSelection.Mix, item.Channel);
        Assert.Equal((null, null), (item.SegmentSeconds, item.OverlapSeconds)); // the model pack's preferred windows apply
        Assert.Equal(Manifest.DefaultModel, ManifestReader.Parse(Wrap("""[{ "id": "a", "recording": "a.wav", "prompts": ["owl"] }]""")).Manifest!.Model);
    }

    [Fact]
    public void Items_without_prompts_inherit_defaults_and_outputs_follow_prompt_then_item_then_defaults()
    {
        var items = ParseItems(
            """
            [{ "id": "a", "recording": "a.wav" },
             { "id": "b", "recording": "b.wav", "output": "both" },
             { "id": "c", "recording": "c.wav", "output": "both", "prompts": ["owl", { "text": "frog", "output": "target" }] }]
            """,
            defaults: """{ "prompts": ["wind noise", { "text": "rain", "output": "target" }], "output": "residual", "channel": 1 }""");

        Assert.Equal([new PromptSpec("wind noise", OutputMode.Residual), new PromptSpec("rain", OutputMode.Target)], items[0].Prompts);
        Assert.Equal([new PromptSpec("wind noise", OutputMode.Both), new PromptSpec("rain", OutputMode.Target)], items[1].Prompts);
        Assert.Equal([new PromptSpec("owl", OutputMode.Both), new PromptSpec("frog", OutputMode.Target)], items[2].Prompts);
        Assert.All(items, i => Assert.Equal(ChannelSelection.Index(1), i.Channel));
        Assert.Equal([0, 1, 2], items.Select(i => i.Index));
    }

    [Theory]
    [InlineData("\"01:02:03.25\"", 3723.25)]
    [InlineData("\"0:00:05\"", 5)]
    [InlineData("\"100:00:00\"", 360000)]
    [InlineData("\"00:00:00.0000001\"", 1e-7)]
    [InlineData("12.5", 12.5)]
    [InlineData("0", 0)]
    public void Start_accepts_clock_strings_and_seconds(string json, double seconds)
    {
        var item = ParseItems($$"""[{ "id": "a", "recording": "a.wav", "prompts": ["owl"], "start": {{json}} }]""").Single();

        Assert.Equal(TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond)), item.Start);
    }

    [Theory]
    [InlineData("\"mix\"", -1)]
    [InlineData("\"2\"", 2)]
    [InlineData("3", 3)]
    [InlineData("0", 0)]
    public void Channel_accepts_mix_and_indexes_as_numbers_or_strings(string json, int expected)
    {
        var item = ParseItems($$"""[{ "id": "a", "recording": "a.wav", "prompts": ["owl"], "channel": {{json}} }]""").Single();

        Assert.Equal(expected < 0 ? ChannelSelection.Mix : ChannelSelection.Index(expected), item.Channel);
    }

    [Fact]
    public void Window_settings_come_from_item_then_defaults_and_what_neither_sets_is_left_to_the_pack()
    {
        var items = ParseItems(
            """
            [{ "id": "a", "recording": "a.wav", "prompts": ["owl"] },
             { "id": "b", "recording": "b.wav", "prompts": ["owl"], "segmentSeconds": 30, "overlapSeconds": 0 }]
            """,
            defaults: """{ "segmentSeconds": 20, "overlapSeconds": 4 }""");
        var shortWindow = ParseItems("""[{ "id": "a", "recording": "a.wav", "prompts": ["owl"], "segmentSeconds": 3 }]""").Single();
        var overlapOnly = ParseItems("""[{ "id": "a", "recording": "a.wav", "prompts": ["owl"], "overlapSeconds": 7 }]""").Single();

        Assert.Equal((20.0, 4.0), (items[0].SegmentSeconds, items[0].OverlapSeconds));
        Assert.Equal((30.0, 0.0), (items[1].SegmentSeconds, items[1].OverlapSeconds));
        Assert.Equal((3.0, null), (shortWindow.SegmentSeconds, shortWindow.OverlapSeconds)); // the pack's overlap, capped at 1.5 s when run
        Assert.Equal((null, 7.0), (overlapOnly.SegmentSeconds, overlapOnly.OverlapSeconds)); // checked against the pack's window when run
    }

    [Fact]
    public void Prompts_are_trimmed_and_whitespace_collapsed_and_slugs_made_unique()
    {
        var item = ParseItems("""[{ "id": "a", "recording": "a.wav", "prompts": ["  owl\t\n  hooting  ", "owl-hooting", "Owl: hooting!"] }]""").Single();

        Assert.Equal(["owl hooting", "owl-hooting", "Owl: hooting!"], item.Prompts.Select(p => p.Text));
        Assert.Equal(["owl-hooting", "owl-hooting-2", "owl-hooting-3"], item.Prompts.Select(p => p.Slug));
    }

    [Fact]
    public void Utf8_bytes_with_a_byte_order_mark_parse_like_the_text()
    {
        byte[] bytes = [.. Encoding.UTF8.Preamble, .. Encoding.UTF8.GetBytes(DesignExample)];

        var fromBytes = ManifestReader.Parse(bytes);

        Assert.True(fromBytes.IsValid, string.Join("\n", fromBytes.Errors));
        Assert.Equal(ManifestReader.Parse(DesignExample).Manifest!.Items[0].Prompts, fromBytes.Manifest!.Items[0].Prompts);
    }

    [Fact]
    public void Text_with_a_leading_byte_order_mark_parses()
    {
        Assert.True(ManifestReader.Parse("\uFEFF" + DesignExample).IsValid);
    }

    [Fact]
    public async Task ReadFileAsync_reads_a_manifest_file()
    {
        string path = Path.Combine(Path.GetTempPath(), $"manifest-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, DesignExample);
        try
        {
            var result = await ManifestReader.ReadFileAsync(path);

            Assert.Equal("owl-survey-2026-05", result.Manifest?.JobId);
        }
        finally
        {
            File.Delete(path);
        }
    }

    internal static string Wrap(string items, string? defaults = null) =>
        $$"""{ "schema": "samaudio.manifest/v1", "jobId": "job-1", {{(defaults is null ? "" : $"\"defaults\": {defaults},")}} "items": {{items}} }""";

    private static IReadOnlyList<ManifestItem> ParseItems(string items, string? defaults = null)
    {
        var result = ManifestReader.Parse(Wrap(items, defaults));
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        return result.Manifest!.Items;
    }
}
