using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;
using SamAudio.Inference.Packs;

namespace SamAudio.Inference.Runtime;

/// <summary>
/// Builds <see cref="SessionOptions"/> for the requested device once, choosing the execution provider and logging
/// a fallback once; every session of an engine is opened with the same choice.
/// </summary>
internal sealed partial class SessionFactory
{
    private const string CudaProvider = "CUDAExecutionProvider";
    private const string TensorRtProvider = "TensorrtExecutionProvider";

    private readonly InferenceOptions _options;

    private SessionFactory(InferenceOptions options, string provider)
    {
        _options = options;
        Provider = provider;
    }

    /// <summary><c>cpu</c>, <c>cuda</c> or <c>tensorrt</c>: the provider sessions really get.</summary>
    public string Provider { get; private set; }

    /// <summary>Picks the provider for <paramref name="options"/>, falling back to CPU with one log line.</summary>
    public static SessionFactory Create(InferenceOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        if (options.Device == InferenceDevice.Cpu)
        {
            return new SessionFactory(options, "cpu");
        }

        string? reason = null;
        if (options.Device == InferenceDevice.TensorRt)
        {
            if (TryProvider(options, "tensorrt", out reason))
            {
                return new SessionFactory(options, "tensorrt");
            }

            LogTensorRtFallback(logger, reason);
        }

        if (TryProvider(options, "cuda", out reason))
        {
            return new SessionFactory(options, "cuda");
        }

        if (options.Device == InferenceDevice.Auto)
        {
            LogAutoCpu(logger, reason);
        }
        else
        {
            LogCudaFallback(logger, options.Device.ToString().ToLowerInvariant(), reason);
        }

        return new SessionFactory(options, "cpu");
    }

    /// <summary>
    /// Opens a graph with new options that the caller disposes with the session (<paramref name="create"/> builds the
    /// session from options; <paramref name="path"/> names the graph in messages). Where a GPU provider was chosen but
    /// the session cannot start on it, this factory switches to CPU for good, with a warning. A graph that ONNX Runtime
    /// cannot open at all is reported as a <see cref="ModelPackException"/> (<see cref="ModelPackError.Unsupported"/>).
    /// </summary>
    public (InferenceSession Session, SessionOptions Options) Open(Func<SessionOptions, InferenceSession> create, string path, ILogger logger)
    {
        try
        {
            return TryOpen(create);
        }
        catch (OnnxRuntimeException e) when (Provider != "cpu")
        {
            LogSessionFallback(logger, Provider, path, e.Message);
            Provider = "cpu";
        }
        catch (OnnxRuntimeException e)
        {
            throw Unopenable(path, e);
        }

        try
        {
            return TryOpen(create);
        }
        catch (OnnxRuntimeException e)
        {
            throw Unopenable(path, e);
        }
    }

    private (InferenceSession Session, SessionOptions Options) TryOpen(Func<SessionOptions, InferenceSession> create)
    {
        var sessionOptions = CreateSessionOptions();
        try
        {
            return (create(sessionOptions), sessionOptions);
        }
        catch
        {
            sessionOptions.Dispose();
            throw;
        }
    }

    private static ModelPackException Unopenable(string path, OnnxRuntimeException e) =>
        new(ModelPackError.Unsupported, path, $"ONNX Runtime could not open the graph: {e.Message}");

    /// <summary>New options for one session; the caller disposes them with the session.</summary>
    public SessionOptions CreateSessionOptions()
    {
        var session = new SessionOptions();
        try
        {
            session.GraphOptimizationLevel = _options.GraphOptimization;
            session.IntraOpNumThreads = _options.IntraOpThreads;
            session.EnableCpuMemArena = _options.MemoryArena;
            session.ExecutionMode = ExecutionMode.ORT_SEQUENTIAL;
            session.AddSessionConfigEntry("session.intra_op.allow_spinning", _options.IntraOpSpinning ? "1" : "0");
            if (Provider == "tensorrt")
            {
                session.AppendExecutionProvider_Tensorrt(_options.DeviceId);
            }

            if (Provider is "tensorrt" or "cuda")
            {
                session.AppendExecutionProvider_CUDA(_options.DeviceId);
            }

            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    private static bool TryProvider(InferenceOptions options, string provider, out string? reason)
    {
        string ortName = provider == "tensorrt" ? TensorRtProvider : CudaProvider;
        string[] available;
        try
        {
            available = OrtEnv.Instance().GetAvailableProviders();
        }
        catch (Exception e) when (e is OnnxRuntimeException or DllNotFoundException or EntryPointNotFoundException)
        {
            reason = $"the native ONNX Runtime could not be queried ({e.Message})";
            return false;
        }

        if (!available.Contains(ortName))
        {
            reason = $"this ONNX Runtime build has no {ortName} (available: {string.Join(", ", available)})";
            return false;
        }

        // The provider is compiled in; appending it loads the CUDA/cuDNN/TensorRT libraries and finds the device.
        using var probe = new SessionOptions();
        try
        {
            if (provider == "tensorrt")
            {
                probe.AppendExecutionProvider_Tensorrt(options.DeviceId);
            }
            else
            {
                probe.AppendExecutionProvider_CUDA(options.DeviceId);
            }

            reason = null;
            return true;
        }
        catch (Exception e) when (e is OnnxRuntimeException or DllNotFoundException or EntryPointNotFoundException)
        {
            reason = $"{ortName} did not start: {e.Message}";
            return false;
        }
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Device auto: running on CPU because {Reason}.")]
    private static partial void LogAutoCpu(ILogger logger, string? reason);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Device {Requested} requested but unavailable: {Reason}. Falling back to CPU.")]
    private static partial void LogCudaFallback(ILogger logger, string requested, string? reason);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "The {Provider} provider could not open {Path} ({Reason}); running on CPU.")]
    private static partial void LogSessionFallback(ILogger logger, string provider, string path, string reason);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "TensorRT unavailable: {Reason}. Trying CUDA.")]
    private static partial void LogTensorRtFallback(ILogger logger, string? reason);
}
