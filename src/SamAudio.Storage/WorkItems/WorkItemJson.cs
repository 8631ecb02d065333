using System.Text;
using System.Text.Json;

namespace SamAudio.Storage.WorkItems;

/// <summary>Reads and writes work item messages (UTF-8 JSON; the queue client adds the Base64 layer).</summary>
public static class WorkItemJson
{
    /// <summary>Schema id written into every message.</summary>
    public const string Schema = "samaudio.workitem/v1";

    /// <summary>Largest raw message accepted: 48 KB, so the Base64 form stays under the queue's 64 KB.</summary>
    public const int MaxMessageBytes = 48 * 1024;

    /// <summary>Serializes <paramref name="item"/>.</summary>
    public static string Serialize(WorkItem item) => JsonSerializer.Serialize(item, StorageJson.Context.WorkItem);

    /// <summary>UTF-8 length of the serialized form.</summary>
    public static int ByteCount(string message) => Encoding.UTF8.GetByteCount(message);

    /// <summary>Parses a message body.</summary>
    /// <exception cref="JsonException">The body is not a work item, or is larger than any work item ingestion sends.</exception>
    public static WorkItem Deserialize(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Length > MaxMessageBytes && ByteCount(message) > MaxMessageBytes)
            throw new JsonException($"The message is {ByteCount(message)} bytes; ingestion never sends a work item over {MaxMessageBytes}.");
        var item = JsonSerializer.Deserialize(message, StorageJson.Context.WorkItem)
            ?? throw new JsonException("The message is JSON null, not a work item.");
        if (item.Schema != Schema)
            throw new JsonException($"Unknown work item schema '{item.Schema}'; expected '{Schema}'.");
        return item;
    }

    /// <summary>Parses a message body.</summary>
    public static WorkItem Deserialize(BinaryData message) => Deserialize(message.ToString());
}
