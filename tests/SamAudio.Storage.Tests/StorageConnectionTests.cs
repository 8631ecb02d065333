namespace SamAudio.Storage.Tests;

public sealed class StorageConnectionTests
{
    [Fact]
    public void Connection_string_setting_wins()
    {
        var settings = new Dictionary<string, string?> { ["Store"] = "UseDevelopmentStorage=true", ["Store__blobServiceUri"] = "https://x.blob.core.windows.net" };

        var connection = StorageConnection.FromSettings(k => settings.GetValueOrDefault(k), "Store");

        Assert.Equal("UseDevelopmentStorage=true", connection.ConnectionString);
        Assert.Null(connection.BlobServiceUri);
    }

    [Theory]
    [InlineData("__")]
    [InlineData(":")]
    public void Identity_settings_give_service_uris_credential_and_client_id(string separator)
    {
        var settings = new Dictionary<string, string?>
        {
            [$"Store{separator}blobServiceUri"] = "https://acct.blob.core.windows.net",
            [$"Store{separator}queueServiceUri"] = "https://acct.queue.core.windows.net",
            [$"Store{separator}credential"] = "managedidentity",
            [$"Store{separator}clientId"] = "00000000-0000-0000-0000-000000000001",
        };

        var connection = StorageConnection.FromSettings(k => settings.GetValueOrDefault(k), "Store");
        var blobs = new StorageClientFactory(connection).CreateBlobServiceClient();

        Assert.Null(connection.ConnectionString);
        Assert.Equal(new Uri("https://acct.queue.core.windows.net"), connection.QueueServiceUri);
        Assert.Equal(("managedidentity", "00000000-0000-0000-0000-000000000001"), (connection.Credential, connection.ClientId));
        Assert.Equal("acct", blobs.AccountName);
    }

    [Fact]
    public void Missing_settings_say_which_names_to_set()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => StorageConnection.FromSettings(_ => null, "Store"));

        Assert.Contains("Store__blobServiceUri", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_refuse_a_shard_shorter_than_a_second()
    {
        var options = new StorageOptions { ShardLength = TimeSpan.FromSeconds(0.5) };

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => options.Validate());
        Assert.Equal(nameof(StorageOptions.ShardLength), ex.ParamName);
    }
}
