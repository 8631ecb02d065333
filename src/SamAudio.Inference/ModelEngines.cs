using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;
using SamAudio.Core.Separation;
using SamAudio.Inference.Flow;
using SamAudio.Inference.Mask;
using SamAudio.Inference.Packs;
using SamAudio.Inference.Runtime;
using SamAudio.Inference.Text;

namespace SamAudio.Inference;

/// <summary>Opens a separation engine for a model pack: the one entry point hosts (CLI, worker) call.</summary>
public static class ModelEngines
{
    /// <summary>
    /// Opens <paramref name="idOrFolder"/> (<c>passthrough</c>, an installed pack id or a pack folder) from
    /// <see cref="ModelCatalog.Default"/>, verifying hashes and graph contracts, on the device the options ask for.
    /// </summary>
    /// <exception cref="ModelPackException">The pack is unknown, broken or unsupported; the message says why.</exception>
    public static Task<ISeparationEngine> OpenAsync(
        string idOrFolder, InferenceOptions options, ILogger logger, CancellationToken cancellationToken = default) =>
        OpenAsync(ModelCatalog.Default, idOrFolder, options, logger, cancellationToken);

    /// <summary>As <see cref="OpenAsync(string, InferenceOptions, ILogger, CancellationToken)"/> with an explicit catalog.</summary>
    public static Task<ISeparationEngine> OpenAsync(
        ModelCatalog catalog, string idOrFolder, InferenceOptions options, ILogger logger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentException.ThrowIfNullOrWhiteSpace(idOrFolder);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        if (idOrFolder == PassThroughEngine.Id)
        {
            return Task.FromResult<ISeparationEngine>(new PassThroughEngine());
        }

        return Task.Run(() => Open(ModelPack.Load(catalog.Resolve(idOrFolder)), options, logger), cancellationToken);
    }

    private static ISeparationEngine Open(ModelPack pack, InferenceOptions options, ILogger logger)
    {
        var manifest = pack.Manifest;
        string manifestPath = pack.PathOf(ModelPack.ManifestFileName);
        if (manifest.Family == "flow")
        {
            return FlowGraphs.OpenEngine(pack, options, logger);
        }

        if (manifest.Family != "mask")
        {
            throw new ModelPackException(ModelPackError.Unsupported, manifestPath, $"family '{manifest.Family}' has no runner in this build (mask and flow).");
        }

        var encoderSpec = manifest.TextEncoder;
        if (encoderSpec.Kind != "bert-wordpiece" || encoderSpec.Source != MiniLmResources.Source || encoderSpec.Dimension != 384)
        {
            throw new ModelPackException(ModelPackError.Unsupported, manifestPath,
                $"text encoder {encoderSpec.Kind} from '{encoderSpec.Source}' ({encoderSpec.Dimension}-d) is not available; " +
                $"the mask family runs bert-wordpiece from {MiniLmResources.Source} (384-d).");
        }

        var factory = SessionFactory.Create(options, logger);
        var graph = pack.Graph("separator");
        string graphPath = pack.PathOf(graph.File);

        // The encoder first, and what its load left behind returned before anything else opens: the process's peak is
        // this load (issue 19), and it is lower when the separator is not yet resident on top of it.
        var encoder = OpenMiniLm(factory, logger);
        ReleaseLoadMemory();
        InferenceSession? session = null;
        SessionOptions? sessionOptions = null;
        try
        {
            (session, sessionOptions) = factory.Open(o => new InferenceSession(graphPath, o), graphPath, logger);
            VerifySeparator(session, graph, graphPath, (manifest.Stft!.NFft / 2) + 1, encoderSpec.Dimension);
            var vocabulary = PromptVocabulary.Load(pack, encoderSpec.Dimension);
            return new MaskSeparationEngine(pack, session, sessionOptions, encoder, vocabulary, factory.Provider);
        }
        catch
        {
            encoder.Dispose();
            session?.Dispose();
            sessionOptions?.Dispose();
            throw;
        }
    }

    /// <summary>Opens the MiniLM encoder from its extracted graph file (a file, not bytes: see <see cref="MiniLmResources"/>).</summary>
    private static MiniLmPromptEncoder OpenMiniLm(SessionFactory factory, ILogger logger)
    {
        var resources = MiniLmResources.ReadDefault();
        var (session, sessionOptions) = factory.Open(o => new InferenceSession(resources.ModelPath, o), resources.ModelPath, logger);
        return new MiniLmPromptEncoder(resources, session, sessionOptions);
    }

    /// <summary>
    /// Gives what the loads left behind back to the operating system now, as the collector would otherwise keep it
    /// committed for the whole run: 10 MiB off the peak of a 2-minute bench (236-246 MiB against 248-256 MiB without).
    /// An aggressive collection decommits what it frees; it runs once per model opened.
    /// </summary>
    private static void ReleaseLoadMemory() =>
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);

    private static void VerifySeparator(InferenceSession session, GraphSpec graph, string path, int bins, int dimension)
    {
        if (graph.Inputs.Count != 2 || graph.Outputs.Count != 1)
        {
            throw new ModelPackException(ModelPackError.InvalidManifest, path, "a mask separator takes (magnitude, prompt_embedding) and gives (mask).");
        }

        GraphContract.Verify(session, graph, path);
        GraphContract.VerifyShape(session, graph.Inputs[0], [1, bins, -1], path);
        GraphContract.VerifyShape(session, graph.Inputs[1], [-1, dimension], path);
        GraphContract.VerifyShape(session, graph.Outputs[0], [-1, bins, -1], path);
    }
}
