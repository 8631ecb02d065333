using Azure.Core;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace SamAudio.Storage;

/// <summary>
/// Creates the blob and queue clients every SamAudio host shares. Queue clients always use
/// <see cref="QueueMessageEncoding.Base64"/>, the encoding of the Functions queue extension, on both sides.
/// </summary>
public sealed class StorageClientFactory
{
    private readonly StorageConnection _connection;
    private readonly TokenCredential? _credential;

    /// <summary>Creates a factory for <paramref name="connection"/>.</summary>
    public StorageClientFactory(StorageConnection connection)
    {
        _connection = connection ?? throw new ArgumentNullException(nameof(connection));
        if (connection.ConnectionString is null)
            _credential = CreateCredential(connection);
    }

    /// <summary>The blob service of the account.</summary>
    public BlobServiceClient CreateBlobServiceClient() => _connection.ConnectionString is { } cs
        ? new BlobServiceClient(cs)
        : new BlobServiceClient(_connection.BlobServiceUri, _credential);

    /// <summary>The queue service of the account, with Base64 message encoding.</summary>
    public QueueServiceClient CreateQueueServiceClient()
    {
        var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        return _connection.ConnectionString is { } cs
            ? new QueueServiceClient(cs, options)
            : new QueueServiceClient(_connection.QueueServiceUri, _credential, options);
    }

    /// <summary>One queue, with Base64 message encoding.</summary>
    public QueueClient CreateQueueClient(string queueName) => CreateQueueServiceClient().GetQueueClient(queueName);

    /// <summary>
    /// A Base64 queue client for a consumer: a message that is not Base64 (sent by another producer) would make a whole
    /// receive throw, so it goes to <paramref name="undecodable"/> instead (which must remove it from the queue) and
    /// the receive returns the others.
    /// </summary>
    public QueueClient CreateQueueClient(string queueName, Func<QueueMessageDecodingFailedEventArgs, Task> undecodable)
    {
        ArgumentNullException.ThrowIfNull(undecodable);
        var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        options.MessageDecodingFailed += args => undecodable(args);
        return _connection.ConnectionString is { } cs
            ? new QueueClient(cs, queueName, options)
            : new QueueClient(new Uri(_connection.QueueServiceUri!, queueName), _credential, options);
    }

    private static TokenCredential CreateCredential(StorageConnection connection)
    {
        if (string.Equals(connection.Credential, "managedidentity", StringComparison.OrdinalIgnoreCase))
        {
            return string.IsNullOrWhiteSpace(connection.ClientId)
                ? new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned)
                : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(connection.ClientId));
        }
        var options = new DefaultAzureCredentialOptions();
        if (!string.IsNullOrWhiteSpace(connection.ClientId))
            options.ManagedIdentityClientId = connection.ClientId;
        return new DefaultAzureCredential(options);
    }
}
