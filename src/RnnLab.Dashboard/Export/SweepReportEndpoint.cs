using System.IO.Compression;
using Grpc.Core;
using RnnLab.Contracts.V1;
using RnnLab.Dashboard.Hosting;

namespace RnnLab.Dashboard.Export;

/// <summary>Serves a sweep's report from the server's GetSweepReport: the HTML page, or the Markdown and its figures as a zip.</summary>
internal static class SweepReportEndpoint
{
    public static void MapSweepReport(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/sweeps/{sweepId}/report.html", async (string sweepId, SweepApi api, HttpContext http) =>
        {
            try
            {
                var report = await api.Client.GetSweepReportAsync(new GetSweepReportRequest { SweepId = sweepId, Format = "html" },
                    api.Call(http.RequestAborted));
                var page = report.Files[0];
                return Results.Bytes(page.Content.ToByteArray(), page.MediaType);
            }
            catch (RpcException exception)
            {
                return Failure(exception);
            }
        });

        endpoints.MapGet("/sweeps/{sweepId}/report.md.zip", async (string sweepId, SweepApi api, HttpContext http) =>
        {
            try
            {
                var report = await api.Client.GetSweepReportAsync(new GetSweepReportRequest { SweepId = sweepId, Format = "markdown" },
                    api.Call(http.RequestAborted));
                using var buffer = new MemoryStream();
                using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
                {
                    foreach (var file in report.Files)
                    {
                        await using var entry = zip.CreateEntry(file.Path, CompressionLevel.Optimal).Open();
                        file.Content.WriteTo(entry);
                    }
                }

                return Results.File(buffer.ToArray(), "application/zip", $"sweep-{sweepId}-report.zip");
            }
            catch (RpcException exception)
            {
                return Failure(exception);
            }
        });
    }

    private static IResult Failure(RpcException exception) => Results.Text(exception.Status.Detail, "text/plain", statusCode: exception.StatusCode switch
    {
        StatusCode.NotFound => StatusCodes.Status404NotFound,
        StatusCode.InvalidArgument => StatusCodes.Status400BadRequest,
        StatusCode.FailedPrecondition => StatusCodes.Status409Conflict,
        StatusCode.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status502BadGateway,
    });
}
