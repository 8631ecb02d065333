using Microsoft.Extensions.Logging;
using SamAudio.Inference.Runtime;
using SamAudio.Inference.Tests.Support;

namespace SamAudio.Inference.Tests.Runtime;

/// <summary>The test host carries the CPU-only native ONNX Runtime, as this machine has no GPU.</summary>
public sealed class ExecutionProviderTests
{
    [Theory]
    [InlineData(InferenceDevice.Cuda)]
    [InlineData(InferenceDevice.TensorRt)]
    public void Gpu_requested_without_one_runs_on_cpu_with_a_warning(InferenceDevice device)
    {
        var logger = new ListLogger();

        var factory = SessionFactory.Create(new InferenceOptions { Device = device }, logger);

        Assert.Equal("cpu", factory.Provider);
        var warning = Assert.Single(logger.Lines, l => l.Level == LogLevel.Warning && l.Message.Contains("Falling back to CPU"));
        Assert.Contains("CUDAExecutionProvider", warning.Message);
    }

    [Fact]
    public void Auto_without_a_gpu_logs_one_line_saying_why_it_runs_on_cpu()
    {
        var logger = new ListLogger();

        var factory = SessionFactory.Create(new InferenceOptions { Device = InferenceDevice.Auto }, logger);

        Assert.Equal("cpu", factory.Provider);
        var line = Assert.Single(logger.Lines);
        Assert.Equal(LogLevel.Information, line.Level);
        Assert.Contains("running on CPU because", line.Message);
    }

    [Fact]
    public void Cpu_requested_logs_nothing()
    {
        var logger = new ListLogger();

        Assert.Equal("cpu", SessionFactory.Create(new InferenceOptions { Device = InferenceDevice.Cpu }, logger).Provider);
        Assert.Empty(logger.Lines);
    }

    [Theory]
    [InlineData("auto", InferenceDevice.Auto)]
    [InlineData("CPU", InferenceDevice.Cpu)]
    [InlineData("cuda", InferenceDevice.Cuda)]
    [InlineData("tensorrt", InferenceDevice.TensorRt)]
    public void ParseDevice_reads_the_cli_words(string word, InferenceDevice expected) =>
        Assert.Equal(expected, InferenceOptions.ParseDevice(word));

    [Fact]
    public void Options_out_of_range_are_refused_by_name()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new InferenceOptions { IntraOpThreads = -1 }.Validate());
        Assert.Equal("IntraOpThreads", e.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => InferenceOptions.ParseDevice("npu"));
    }
}
