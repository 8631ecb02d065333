using System.Text;
using Azure.Storage.Queues;
using SamAudio.Storage.WorkItems;
using SamAudio.Storage.Tests.WorkItems;

namespace SamAudio.Storage.Tests;

[Trait("Category", "Azurite")]
public sealed class QueueEncodingTests : IAsyncLifetime
{
    private readonly TestStorage _storage = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _storage.CleanUpAsync();

    [Fact]
    public async Task Sent_work_items_are_base64_on_the_wire_and_read_back_as_the_same_items()
    {
        var queue = _storage.Queue(_storage.Options.CpuWorkQueue);
        var message = WorkItemJson.Serialize(WorkItemJsonTests.Sample());

        await WorkQueueSender.SendAsync(queue, [message]);

        var raw = new QueueClient(Environment.GetEnvironmentVariable("SAMAUDIO_TEST_STORAGE"), queue.Name);
        var wire = (await raw.PeekMessageAsync()).Value.Body.ToString();
        Assert.Equal(Convert.ToBase64String(Encoding.UTF8.GetBytes(message)), wire);
        var received = (await queue.ReceiveMessageAsync()).Value;
        Assert.Equal(message, WorkItemJson.Serialize(WorkItemJson.Deserialize(received.Body)));
    }
}
