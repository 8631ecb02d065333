using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using SamAudio.Telemetry;
using SamAudio.Worker.Telemetry;

namespace SamAudio.Worker.Tests.Telemetry;

/// <summary>The <c>SamAudioTelemetry</c> setting shared by the worker and the Functions app.</summary>
public sealed class TelemetryRegistrationTests
{
    [Theory]
    [InlineData(null, TelemetryExporter.None)]
    [InlineData("", TelemetryExporter.None)]
    [InlineData("none", TelemetryExporter.None)]
    [InlineData("console", TelemetryExporter.Console)]
    [InlineData("OTLP", TelemetryExporter.Otlp)]
    [InlineData(" azuremonitor ", TelemetryExporter.AzureMonitor)]
    public void Setting_names_the_exporter(string? value, TelemetryExporter expected) =>
        Assert.Equal(expected, TelemetryRegistration.Parse(value));

    [Fact]
    public void An_unknown_exporter_is_refused_with_the_choices() =>
        Assert.Contains("none, console, otlp or azuremonitor", Assert.Throws<ArgumentOutOfRangeException>(() => TelemetryRegistration.Parse("jaeger")).Message, StringComparison.Ordinal);

    [Fact]
    public void None_registers_no_OpenTelemetry()
    {
        var services = new ServiceCollection();
        Assert.Null(services.AddSamAudioTelemetry(Settings(), "test", WorkerTelemetry.Name));
        using var provider = services.BuildServiceProvider();
        Assert.Null(provider.GetService<TracerProvider>());
    }

    [Fact]
    public void Azure_monitor_without_a_connection_string_fails_at_startup_with_the_setting_to_set()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            new ServiceCollection().AddSamAudioTelemetry(Settings(("SamAudioTelemetry", "azuremonitor")), "test", WorkerTelemetry.Name));
        Assert.Contains("APPLICATIONINSIGHTS_CONNECTION_STRING", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Otlp_registers_tracing_for_the_named_sources()
    {
        var services = new ServiceCollection();
        Assert.NotNull(services.AddSamAudioTelemetry(Settings(("SamAudioTelemetry", "otlp")), "test", WorkerTelemetry.Name));
        using var provider = services.BuildServiceProvider();
        Assert.NotNull(provider.GetService<TracerProvider>());
    }

    private static IConfiguration Settings(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();
}
