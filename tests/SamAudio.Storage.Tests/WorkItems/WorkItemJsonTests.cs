using System.Text.Json;
using SamAudio.Core.Manifests;
using SamAudio.Core.Separation;
using SamAudio.Storage.WorkItems;
using Xunit.Abstractions;

namespace SamAudio.Storage.Tests.WorkItems;

public sealed class WorkItemJsonTests(ITestOutputHelper output)
{
    internal static WorkItem Sample(string text = "owl hooting", int prompts = 1, string name = "site-a/night1.wav", string itemId = "site-a-night1") => new()
    {
        Id = WorkItemId.Create("\"0x8DC1\"", 3, 1),
        JobId = "owl-survey-2026-05",
        ItemId = itemId,
        ItemIndex = 3,
        Manifest = new BlobVersion("manifests", "owl/" + name + ".json", "\"0x8DC1\"", 1234),
        Recording = new BlobVersion("recordings", "owl/" + name, "\"0x8DC2\"", 987_654_321),
        Sha256 = new string('a', 64),
        Model = "samaudio-mini",
        Prompts = Enumerable.Range(0, prompts).Select(i => new PromptSpec(text, (OutputMode)(i % 3))).ToArray(),
        Channel = "mix",
        SegmentSeconds = 10,
        OverlapSeconds = 2,
        Start = TimeSpan.FromMinutes(10),
        End = TimeSpan.FromHours(1),
        Shard = new ShardRange(1, 5, 48_000, 28_800_000, 57_600_000, 240_000, 240_000),
        Attempt = new AttemptInfo(1, 5),
    };

    [Fact]
    public void Round_trip_keeps_every_field()
    {
        var item = Sample(prompts: 3);

        var json = WorkItemJson.Serialize(item);
        var back = WorkItemJson.Deserialize(json);

        Assert.Equal(json, WorkItemJson.Serialize(back));
        Assert.Equal(item.Shard, back.Shard);
        Assert.Equal(item.Recording, back.Recording);
        Assert.Equal(item.Prompts, back.Prompts);
    }

    [Fact]
    public void Span_prompts_round_trip_and_prompts_without_spans_write_nothing_for_them()
    {
        PromptSpan[] spans = [new(12.5, 14.04, true), new(3600.2, 3601, false)];
        var item = Sample(prompts: 2) with { Prompts = [new PromptSpec("owl", OutputMode.Both) { Spans = spans }, new PromptSpec("rain", OutputMode.Target)] };

        var json = WorkItemJson.Serialize(item);
        var back = WorkItemJson.Deserialize(json);

        Assert.Equal(spans, back.Prompts[0].Spans!);
        Assert.Null(back.Prompts[1].Spans);
        Assert.Contains("\"spans\":[{\"start\":12.5,\"end\":14.04,\"present\":true},{\"start\":3600.2,\"end\":3601,\"present\":false}]", json, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(json, "\"spans\""));
    }

    [Fact]
    public void Non_finite_choice_is_carried_only_when_set_so_older_workers_read_the_same_messages()
    {
        Assert.DoesNotContain("nonFinite", WorkItemJson.Serialize(Sample()), StringComparison.Ordinal);

        var json = WorkItemJson.Serialize(Sample() with { NonFinite = "zero" });

        Assert.Contains("\"nonFinite\":\"zero\"", json, StringComparison.Ordinal);
        Assert.Equal("zero", WorkItemJson.Deserialize(json).NonFinite);
    }

    [Fact]
    public void Faithful_is_carried_only_when_set_so_older_messages_read_as_direct()
    {
        Assert.DoesNotContain("faithful", WorkItemJson.Serialize(Sample()), StringComparison.Ordinal);
        Assert.Null(WorkItemJson.Deserialize(WorkItemJson.Serialize(Sample())).Faithful);

        var json = WorkItemJson.Serialize(Sample() with { Faithful = true });

        Assert.Contains("\"faithful\":true", json, StringComparison.Ordinal);
        Assert.True(WorkItemJson.Deserialize(json).Faithful);
    }

    [Fact]
    public void Background_is_carried_only_when_suppressed_so_older_messages_keep_it()
    {
        Assert.DoesNotContain("background", WorkItemJson.Serialize(Sample()), StringComparison.Ordinal);

        var json = WorkItemJson.Serialize(Sample() with { Background = "suppress" });

        Assert.Contains("\"background\":\"suppress\"", json, StringComparison.Ordinal);
        Assert.Equal("suppress", WorkItemJson.Deserialize(json).Background);
    }

    [Fact]
    public void Seed_and_steps_round_trip_and_messages_without_them_read_seed_0_and_the_model_s_steps()
    {
        var json = WorkItemJson.Serialize(Sample() with { Seed = 1234, Steps = 32 });
        var back = WorkItemJson.Deserialize(json);

        Assert.Equal((1234, (int?)32), (back.Seed, back.Steps));
        Assert.DoesNotContain("\"steps\"", WorkItemJson.Serialize(Sample()), StringComparison.Ordinal);

        // A message written before seed and steps existed.
        var old = json.Replace(",\"seed\":1234", "", StringComparison.Ordinal).Replace(",\"steps\":32", "", StringComparison.Ordinal);
        Assert.DoesNotContain("seed", old, StringComparison.Ordinal);
        var read = WorkItemJson.Deserialize(old);
        Assert.Equal((0, (int?)null), (read.Seed, read.Steps));
    }

    [Fact]
    public void Json_uses_camel_case_names_and_lower_case_output_modes()
    {
        using var doc = JsonDocument.Parse(WorkItemJson.Serialize(Sample(prompts: 3)));
        var root = doc.RootElement;

        Assert.Equal(WorkItemJson.Schema, root.GetProperty("schema").GetString());
        Assert.Equal(28_800_000, root.GetProperty("shard").GetProperty("startSample").GetInt64());
        Assert.Equal(["target", "residual", "both"], root.GetProperty("prompts").EnumerateArray().Select(p => p.GetProperty("output").GetString()));
        Assert.Equal("\"0x8DC2\"", root.GetProperty("recording").GetProperty("eTag").GetString());
        Assert.Contains("\"eTag\":\"\\\"0x8DC2\\\"\"", WorkItemJson.Serialize(Sample()), StringComparison.Ordinal);
    }

    [Fact]
    public void Trace_context_is_carried_only_when_set_and_messages_without_it_still_parse()
    {
        const string traceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        string old = WorkItemJson.Serialize(Sample());
        Assert.DoesNotContain("traceparent", old, StringComparison.Ordinal);
        Assert.Null(WorkItemJson.Deserialize(old).TraceParent);

        var json = WorkItemJson.Serialize(Sample() with { TraceParent = traceParent });

        Assert.Contains($"\"traceparent\":\"{traceParent}\"", json, StringComparison.Ordinal);
        Assert.Equal(traceParent, WorkItemJson.Deserialize(json).TraceParent);
    }

    [Fact]
    public void Worst_case_item_within_manifest_limits_stays_under_48_KB()
    {
        // Every prompt at the maximum count and length, made of characters JSON escapes to six bytes (\u0001;
        // the manifest reader refuses them, so this over-approximates), and blob names near Azure's 1,024-character
        // limit with the same characters.
        var limits = ManifestLimits.Default;
        var escaped = new string('\u0001', limits.MaxPromptLength);
        var longName = new string('\u0001', 1_000);
        var item = Sample(escaped, limits.MaxPromptsPerItem, longName, new string('\u0001', 64))
            with { TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" };

        // And every span an item may have, with times that take the most digits to write.
        var spans = Enumerable.Range(0, limits.MaxSpansPerItem)
            .Select(i => new PromptSpan(86_399.123456789012 + i, 86_399.98765432101 + i, i % 2 == 0)).ToArray();
        item = item with { Prompts = item.Prompts.Select((p, i) => i == 0 ? p with { Spans = spans } : p).ToArray() };

        var bytes = WorkItemJson.ByteCount(WorkItemJson.Serialize(item));
        output.WriteLine($"worst-case work item: {bytes} bytes raw, {(bytes + 2) / 3 * 4} bytes Base64");

        Assert.InRange(bytes, limits.MaxPromptsPerItem * limits.MaxPromptLength * 6, WorkItemJson.MaxMessageBytes);
    }

    [Fact]
    public void A_message_larger_than_any_work_item_is_refused_before_parsing()
    {
        var json = WorkItemJson.Serialize(Sample(new string('x', 500), prompts: 100));

        var ex = Assert.Throws<JsonException>(() => WorkItemJson.Deserialize(json));

        Assert.Contains($"ingestion never sends a work item over {WorkItemJson.MaxMessageBytes}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_schema_is_refused()
    {
        var json = WorkItemJson.Serialize(Sample() with { Schema = "samaudio.workitem/v9" });

        Assert.Throws<JsonException>(() => WorkItemJson.Deserialize(json));
    }

    [Fact]
    public void Ids_are_deterministic_and_differ_by_manifest_version_item_and_shard()
    {
        var id = WorkItemId.Create("\"0x1\"", 4, 2);

        Assert.Equal(id, WorkItemId.Create("\"0x1\"", 4, 2));
        Assert.StartsWith("00004-0002-", id, StringComparison.Ordinal);
        Assert.Equal(4, new[] { id, WorkItemId.Create("\"0x2\"", 4, 2), WorkItemId.Create("\"0x1\"", 5, 2), WorkItemId.Create("\"0x1\"", 4, 3) }.Distinct().Count());
    }

    [Fact]
    public void Poison_message_parses_a_failure_record_and_a_bare_work_item()
    {
        var item = Sample();
        var record = FailedWorkItem.Serialize(new FailedWorkItem { WorkItem = item, LastError = "CUDA out of memory", DequeueCount = 5 });

        var fromRecord = FailedWorkItem.Parse(record, dequeueCount: 1);
        var fromBare = FailedWorkItem.Parse(WorkItemJson.Serialize(item), dequeueCount: 6);

        Assert.Equal(("CUDA out of memory", 5L, item.Id), (fromRecord.LastError, fromRecord.DequeueCount, fromRecord.WorkItem.Id));
        Assert.Equal((6L, item.Id), (fromBare.DequeueCount, fromBare.WorkItem.Id));
        Assert.Contains("6 attempts", fromBare.LastError, StringComparison.Ordinal);
    }
}
