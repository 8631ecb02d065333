using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;
using SamAudio.Inference.Packs;
using SamAudio.Inference.Runtime;
using SamAudio.Inference.Text;

namespace SamAudio.Inference.Flow;

/// <summary>
/// The opened graphs of a flow-family pack, each checked against <see cref="FlowContract"/>, and the factory that
/// opens a <see cref="FlowSeparationEngine"/> from a pack. Owns its sessions.
/// </summary>
internal sealed class FlowGraphs : IDisposable
{
    private readonly List<(InferenceSession Session, SessionOptions Options)> _opened = [];

    private FlowGraphs()
    {
    }

    public InferenceSession CodecEncoder { get; private set; } = null!;

    public InferenceSession DitVelocity { get; private set; } = null!;

    public InferenceSession CodecDecoder { get; private set; } = null!;

    /// <summary>Whether dit_velocity takes <see cref="FlowContract.AnchorIds"/> and <see cref="FlowContract.AnchorAlignment"/> (span prompts).</summary>
    public bool HasAnchors { get; private set; }

    /// <summary>Input and output names of each session, in the contract's order.</summary>
    public Dictionary<InferenceSession, (string[] Inputs, string[] Outputs)> Names { get; } = [];

    /// <summary>Opens, verifies and wraps every graph of <paramref name="pack"/>.</summary>
    /// <exception cref="ModelPackException">A graph breaks the contract or cannot be opened; the message names the file.</exception>
    public static FlowSeparationEngine OpenEngine(ModelPack pack, InferenceOptions options, ILogger logger)
    {
        var factory = SessionFactory.Create(options, logger);
        var graphs = new FlowGraphs();
        FlowTextEncoder? text = null;
        try
        {
            int dim = pack.Manifest.TextEncoder.Dimension;
            graphs.CodecEncoder = graphs.Open(pack, FlowContract.CodecEncoder, dim, factory, logger);
            graphs.DitVelocity = graphs.Open(pack, FlowContract.DitVelocity, dim, factory, logger);
            graphs.HasAnchors = graphs.Names[graphs.DitVelocity].Inputs.Contains(FlowContract.AnchorIds, StringComparer.Ordinal);
            graphs.CodecDecoder = graphs.Open(pack, FlowContract.CodecDecoder, dim, factory, logger);
            var textSession = graphs.Open(pack, FlowContract.TextEncoder, dim, factory, logger);
            var textOptions = graphs._opened[^1].Options;
            graphs._opened.RemoveAt(graphs._opened.Count - 1); // the text encoder owns these from here on
            string tokenizerPath = pack.PathOf(pack.Manifest.TextEncoder.Tokenizer!);
            SentencePieceUnigramTokenizer tokenizer;
            try
            {
                tokenizer = SentencePieceUnigramTokenizer.Load(File.ReadAllBytes(tokenizerPath));
            }
            catch (Exception e) when (e is InvalidDataException or InvalidOperationException or ArgumentException or IndexOutOfRangeException)
            {
                textSession.Dispose();
                textOptions.Dispose();
                throw new ModelPackException(ModelPackError.Unsupported, tokenizerPath, $"not a usable SentencePiece unigram model: {e.Message}");
            }

            text = new FlowTextEncoder(tokenizer, textSession, textOptions, dim);
            return new FlowSeparationEngine(pack, graphs, text, options, factory.Provider);
        }
        catch
        {
            text?.Dispose();
            graphs.Dispose();
            throw;
        }
    }

    private InferenceSession Open(ModelPack pack, string name, int textDim, SessionFactory factory, ILogger logger)
    {
        var spec = pack.Graph(name);
        string path = pack.PathOf(spec.File);
        var (session, options) = factory.Open(o => new InferenceSession(path, o), path, logger);
        _opened.Add((session, options));
        FlowContract.Verify(session, name, spec, textDim, path);
        var values = FlowContract.Graphs[name];
        Names[session] = (values.Inputs.Select(v => v.Name).Where(session.InputNames.Contains).ToArray(), values.Outputs.Select(v => v.Name).ToArray());
        return session;
    }

    public void Dispose()
    {
        foreach (var (session, options) in _opened)
        {
            session.Dispose();
            options.Dispose();
        }

        _opened.Clear();
    }
}
