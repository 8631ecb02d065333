using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

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
    public string Provider { get; }

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

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "TensorRT unavailable: {Reason}. Trying CUDA.")]
    private static partial void LogTensorRtFallback(ILogger logger, string? reason);
}
