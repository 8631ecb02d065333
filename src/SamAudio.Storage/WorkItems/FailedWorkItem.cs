using System.Text.Json;

namespace SamAudio.Storage.WorkItems;

/// <summary>
/// What the worker puts on <c>&lt;queue&gt;-poison</c> when it gives up on a message: the work item and why.
/// A bare <see cref="WorkItem"/> on the poison queue (moved there by something else) is accepted too.
/// </summary>
public sealed record FailedWorkItem
{
    public required WorkItem WorkItem { get; init; }

    /// <summary>The last error, as a sentence a user can act on.</summary>
    public required string LastError { get; init; }

    /// <summary>How often the message was dequeued before it was given up.</summary>
    public long DequeueCount { get; init; }

    public DateTimeOffset FailedAt { get; init; }

    /// <summary>Serializes <paramref name="failed"/>.</summary>
    public static string Serialize(FailedWorkItem failed) => JsonSerializer.Serialize(failed, StorageJson.Context.FailedWorkItem);

    /// <summary>Parses a poison message: a <see cref="FailedWorkItem"/>, or a bare work item (no error detail).</summary>
    /// <exception cref="JsonException">The body is neither.</exception>
    public static FailedWorkItem Parse(string message, long dequeueCount)
    {
        using (var doc = JsonDocument.Parse(message))
        {
            if (!doc.RootElement.TryGetProperty("workItem", out _))
            {
                return new FailedWorkItem
                {
                    WorkItem = WorkItemJson.Deserialize(message),
                    LastError = dequeueCount > 0
                        ? $"The message was moved to the poison queue after {dequeueCount} attempts without an error record."
                        : "The message was moved to the poison queue without an error record.",
                    DequeueCount = dequeueCount,
                    FailedAt = DateTimeOffset.UtcNow,
                };
            }
        }
        return JsonSerializer.Deserialize(message, StorageJson.Context.FailedWorkItem)
            ?? throw new JsonException("The poison message is JSON null.");
    }
}
