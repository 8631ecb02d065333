using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using SamAudio.Storage.Jobs;

namespace SamAudio.Functions.Functions;

/// <summary><c>GET /api/jobs/{jobId}</c>: the job record with counts by state and output blob paths; 404 for an unknown job.</summary>
public sealed class JobStatus(JobRecordStore jobs)
{
    /// <summary>Returns the status report as JSON, or 404 with a one-line reason.</summary>
    [Function(nameof(JobStatus))]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "jobs/{jobId}")] HttpRequest request,
        string jobId,
        CancellationToken cancellationToken = default)
    {
        var stored = JobRecordStore.IsValidJobId(jobId) ? await jobs.GetAsync(jobId, cancellationToken).ConfigureAwait(false) : null;
        if (stored is null)
            return new NotFoundObjectResult(new { error = $"No job '{jobId}'." });
        return new ContentResult
        {
            Content = JobStatusReport.From(stored.Record).ToJson(),
            ContentType = "application/json",
            StatusCode = StatusCodes.Status200OK,
        };
    }
}
