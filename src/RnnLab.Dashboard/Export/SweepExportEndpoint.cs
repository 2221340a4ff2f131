using Grpc.Core;
using RnnLab.Contracts.V1;
using RnnLab.Dashboard.Hosting;

namespace RnnLab.Dashboard.Export;

/// <summary>Streams a sweep's CSV from the server's ExportSweep to the browser as a download, chunk by chunk.</summary>
internal static class SweepExportEndpoint
{
    public static void MapSweepExport(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/sweeps/{sweepId}/export.csv", async (string sweepId, string? table, SweepApi api, HttpContext http) =>
        {
            var request = new ExportSweepRequest { SweepId = sweepId, Table = table ?? "" };
            using var call = api.Client.ExportSweep(request, api.Call(http.RequestAborted));
            var started = false;
            try
            {
                await foreach (var chunk in call.ResponseStream.ReadAllAsync(http.RequestAborted))
                {
                    if (!started)
                    {
                        started = true;
                        http.Response.ContentType = "text/csv; charset=utf-8";
                        http.Response.Headers.ContentDisposition = $"attachment; filename=\"sweep-{sweepId}-{table ?? "trials"}.csv\"";
                    }

                    await http.Response.Body.WriteAsync(chunk.Data.Memory, http.RequestAborted);
                }
            }
            catch (RpcException exception) when (!started)
            {
                var status = exception.StatusCode switch
                {
                    StatusCode.NotFound => StatusCodes.Status404NotFound,
                    StatusCode.InvalidArgument => StatusCodes.Status400BadRequest,
                    StatusCode.Unavailable => StatusCodes.Status503ServiceUnavailable,
                    _ => StatusCodes.Status502BadGateway,
                };
                return Results.Text(exception.Status.Detail, "text/plain", statusCode: status);
            }

            if (!started)
            {
                http.Response.ContentType = "text/csv; charset=utf-8";
            }

            return Results.Empty;
        });
}
