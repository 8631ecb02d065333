namespace SamAudio.Inference.Packs;

/// <summary>The contract rules of <c>samaudio.modelpack/v1</c> beyond what the JSON shape enforces.</summary>
internal static class ModelPackRules
{
    public static readonly string[] Families = ["mask", "flow"];
    public static readonly string[] EncoderKinds = ["bert-wordpiece", "sentencepiece-unigram"];

    /// <summary>The first broken rule as a sentence naming the field, or null.</summary>
    public static string? FirstProblem(ModelPackManifest m)
    {
        if (m.Schema != ModelPack.Schema)
        {
            return $"schema is '{m.Schema}', expected '{ModelPack.Schema}'.";
        }

        if (string.IsNullOrWhiteSpace(m.Id) || m.Id.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
        {
            return $"id '{m.Id}' must be letters, digits, '-', '_' or '.'.";
        }

        if (!Families.Contains(m.Family))
        {
            return $"family '{m.Family}' is not one of {string.Join(", ", Families)}.";
        }

        if (m.SampleRate is < 1000 or > 384_000 || m.Channels != 1)
        {
            return $"sampleRate {m.SampleRate} must be 1000..384000 and channels {m.Channels} must be 1.";
        }

        if (!(m.SegmentSeconds > 0) || !(m.OverlapSeconds >= 0) || m.OverlapSeconds >= m.SegmentSeconds)
        {
            return $"segmentSeconds {m.SegmentSeconds} must be > 0 and overlapSeconds {m.OverlapSeconds} in [0, segmentSeconds).";
        }

        if (!EncoderKinds.Contains(m.TextEncoder.Kind) || m.TextEncoder.Dimension <= 0)
        {
            return $"textEncoder.kind '{m.TextEncoder.Kind}' must be one of {string.Join(", ", EncoderKinds)} with a positive dimension.";
        }

        if (m.Family == "mask" && (m.Stft is null || m.Stft.NFft < 16 || m.Stft.Hop < 1 || m.Stft.Hop > m.Stft.NFft || m.Stft.Window != "hann"))
        {
            return "stft must give nFft >= 16, 1 <= hop <= nFft and window 'hann' for the mask family.";
        }

        foreach (string file in m.Files.Keys)
        {
            if (file.Length == 0 || Path.IsPathRooted(file) || file.Split('/', '\\').Any(part => part is ".." or "."))
            {
                return $"files: '{file}' must be a plain path inside the pack.";
            }

            if (m.Files[file].Length != 64 || !m.Files[file].All(char.IsAsciiHexDigit))
            {
                return $"files['{file}'] must be a 64-digit SHA-256.";
            }
        }

        if (m.Graphs.Count == 0)
        {
            return "graphs must declare at least one graph.";
        }

        foreach (var (name, graph) in m.Graphs)
        {
            if (!m.Files.ContainsKey(graph.File))
            {
                return $"graphs.{name}.file '{graph.File}' has no SHA-256 in files.";
            }

            if (graph.Inputs.Count == 0 || graph.Outputs.Count == 0)
            {
                return $"graphs.{name} must name its inputs and outputs.";
            }
        }

        if (m.TextEncoder.Tokenizer is { } tokenizer && !m.Files.ContainsKey(tokenizer))
        {
            return $"textEncoder.tokenizer '{tokenizer}' has no SHA-256 in files.";
        }

        if (m.Vocabulary is { } vocabulary)
        {
            if (!m.Files.ContainsKey(vocabulary.Captions) || !m.Files.ContainsKey(vocabulary.Embeddings))
            {
                return $"vocabulary.captions '{vocabulary.Captions}' and vocabulary.embeddings '{vocabulary.Embeddings}' need a SHA-256 in files.";
            }

            if (vocabulary.Neighbours < 1 || !(vocabulary.MinSimilarity is > -1 and < 1))
            {
                return $"vocabulary.neighbours {vocabulary.Neighbours} must be >= 1 and vocabulary.minSimilarity {vocabulary.MinSimilarity} in (-1, 1).";
            }
        }

        if (m.Activity is { } activity && ActivityProblem(activity) is { } problem)
        {
            return problem;
        }

        if (m.Family == "flow")
        {
            return Flow.FlowContract.FirstProblem(m);
        }

        return m.Family == "mask" && !m.Graphs.ContainsKey("separator") ? "a mask-family pack needs a graph named 'separator'." : null;
    }

    /// <summary>The first broken rule of the <c>activity</c> section as a sentence naming the field, or null.</summary>
    private static string? ActivityProblem(ActivitySpec a)
    {
        if (!(a.MinEnergyShare is >= 0 and <= 1))
        {
            return $"activity.minEnergyShare {a.MinEnergyShare} must be in [0, 1].";
        }

        if (a.SeedEnergyShare is { } seed && !(seed >= a.MinEnergyShare && seed <= 1))
        {
            return $"activity.seedEnergyShare {seed} must be in [minEnergyShare, 1] ([{a.MinEnergyShare}, 1] here), or be left out.";
        }

        if (!(a.MinLevelDb is >= -200 and <= 0))
        {
            return $"activity.minLevelDb {a.MinLevelDb} must be in [-200, 0] dBFS.";
        }

        if (!(a.MaxGapSeconds is >= 0 and <= 60))
        {
            return $"activity.maxGapSeconds {a.MaxGapSeconds} must be in [0, 60].";
        }

        if (!(a.MinRegionSeconds is >= 0 and <= 60))
        {
            return $"activity.minRegionSeconds {a.MinRegionSeconds} must be in [0, 60].";
        }

        if (string.IsNullOrWhiteSpace(a.ChosenOn))
        {
            return "activity.chosenOn must say which validation set the settings were chosen on.";
        }

        if (a.Confidence is not { } c)
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(c.Meaning))
        {
            return "activity.confidence.meaning must say what the confidence is.";
        }

        if (c.Points.Count == 0)
        {
            return "activity.confidence.points must hold at least one [score, probability] pair.";
        }

        for (int i = 0; i < c.Points.Count; i++)
        {
            if (c.Points[i] is not { Count: 2 })
            {
                return $"activity.confidence.points[{i}] must be a [score, probability] pair, both in [0, 1].";
            }
        }

        return c.ToConfidence().FirstBadPoint() is { } bad ? $"activity.confidence.points[{bad.Point}]: {bad.Rule}." : null;
    }
}
