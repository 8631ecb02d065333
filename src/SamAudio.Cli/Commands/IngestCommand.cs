using System.CommandLine;
using SamAudio.Storage;
using SamAudio.Storage.Ingestion;

namespace SamAudio.Cli.Commands;

/// <summary>
/// <c>samaudio ingest &lt;manifest blob&gt;</c>: the IngestManifest function's work without the Functions host:
/// validate, write the job record, and send the work items to the queue.
/// </summary>
internal static class IngestCommand
{
    public static Command Create(CliConsole console)
    {
        var blob = new Argument<string>("manifest-blob") { Description = "Manifest blob name in the manifests container (a leading 'manifests/' is accepted)." };
        var resend = new Option<bool>("--resend-pending")
        {
            Description = "If this manifest version was already ingested, send its still-pending work items again (recovery after lost messages).",
        };
        var connection = StorageConnectionOption.Create();
        var command = new Command("ingest", "Validate an uploaded manifest, write its job record and enqueue its work items (as the Functions app does).")
        {
            blob, resend, connection,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = StorageConnectionOption.Options();
            var factory = StorageConnectionOption.Factory(parse, connection);
            var name = parse.GetValue(blob)!;
            if (name.StartsWith(options.ManifestContainer + "/", StringComparison.Ordinal))
                name = name[(options.ManifestContainer.Length + 1)..];
            var blobs = factory.CreateBlobServiceClient();
            var ingestor = new ManifestIngestor(blobs, options);
            var manifestBlob = blobs.GetBlobContainerClient(options.ManifestContainer).GetBlobClient(name);
            var result = parse.GetValue(resend)
                ? await ingestor.ResendPendingAsync(manifestBlob, cancellationToken).ConfigureAwait(false)
                : await ingestor.IngestAsync(manifestBlob, cancellationToken).ConfigureAwait(false);
            await WorkQueueSender.SendAsync(factory.CreateQueueClient(result.Queue ?? options.CpuWorkQueue), result.Messages, cancellationToken: cancellationToken).ConfigureAwait(false);
            switch (result.Outcome)
            {
                case IngestOutcome.Accepted:
                    await console.Out.WriteLineAsync($"Job {result.JobId}: accepted, {result.Messages.Count} work item(s) sent to queue {result.Queue}.").ConfigureAwait(false);
                    foreach (var warning in result.Warnings)
                        await console.Out.WriteLineAsync($"  warning: {warning}").ConfigureAwait(false);
                    return ExitCodes.Success;
                case IngestOutcome.AlreadyIngested:
                    await console.Out.WriteLineAsync(result.Messages.Count == 0
                        ? $"Job {result.JobId}: this manifest version was already ingested; nothing sent."
                        : $"Job {result.JobId}: already ingested; {result.Messages.Count} pending work item(s) sent again.").ConfigureAwait(false);
                    return ExitCodes.Success;
                case IngestOutcome.Rejected:
                    await console.Error.WriteLineAsync($"Job {result.JobId}: rejected with {result.Errors.Count} error(s), see {options.ManifestContainer}/{result.ErrorReportBlob}").ConfigureAwait(false);
                    foreach (var e in result.Errors)
                        await console.Error.WriteLineAsync($"  {e.Path}: {e.Message}").ConfigureAwait(false);
                    return ExitCodes.InvalidInput;
                default:
                    await console.Error.WriteLineAsync($"{name}: not a manifest (missing, or an errors report); nothing done.").ConfigureAwait(false);
                    return ExitCodes.Error;
            }
        });
        return command;
    }
}
