using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using SamAudio.Storage.Jobs;

namespace SamAudio.Functions.Functions;

/// <summary>
/// <c>GET /api/jobs/{jobId}</c>: the job's <see cref="JobStatusReport"/> (state, items and work items by state, audio
/// hours, x real time, ETA, failures with their reasons), as <c>samaudio status --json</c> prints it; 404 for an unknown job.
/// </summary>
public sealed class JobStatus(JobStatusReader status)
{
    /// <summary>Returns the status report as JSON, or 404 with a one-line reason.</summary>
    [Function(nameof(JobStatus))]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "jobs/{jobId}")] HttpRequest request,
        string jobId,
        CancellationToken cancellationToken = default)
    {
        var report = await status.ReadAsync(jobId, cancellationToken).ConfigureAwait(false);
        if (report is null)
            return new NotFoundObjectResult(new { error = $"No job '{jobId}'." });
        return new ContentResult
        {
            Content = report.ToJson(),
            ContentType = "application/json",
            StatusCode = StatusCodes.Status200OK,
        };
    }
}
