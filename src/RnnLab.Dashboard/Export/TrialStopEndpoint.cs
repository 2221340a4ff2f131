using System.Net;
using Grpc.Core;
using RnnLab.Contracts.V1;
using RnnLab.Dashboard.Hosting;

namespace RnnLab.Dashboard.Export;

/// <summary>
/// The trial page's stop button: a plain form post that calls StopTrial with the key the visitor types, never the
/// dashboard's own (a read key), so the dashboard lets nobody stop a trial the API would not let them stop.
/// </summary>
internal static class TrialStopEndpoint
{
    public static void MapTrialStop(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost("/trials/{trialId}/stop", async (string trialId, HttpContext http, SweepApi api) =>
        {
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            var key = form["key"].ToString().Trim();
            var headers = new Metadata();
            if (key.Length > 0)
            {
                headers.Add("authorization", "Bearer " + key);
            }

            try
            {
                await api.Client.StopTrialAsync(new StopTrialRequest { TrialId = trialId, Prune = form["prune"] == "true" },
                    headers, cancellationToken: http.RequestAborted);
                return Results.Redirect($"/trials/{Uri.EscapeDataString(trialId)}");
            }
            catch (RpcException exception)
            {
                var status = exception.StatusCode switch
                {
                    StatusCode.Unauthenticated => StatusCodes.Status401Unauthorized,
                    StatusCode.PermissionDenied => StatusCodes.Status403Forbidden,
                    StatusCode.NotFound => StatusCodes.Status404NotFound,
                    StatusCode.InvalidArgument or StatusCode.FailedPrecondition => StatusCodes.Status400BadRequest,
                    _ => StatusCodes.Status502BadGateway,
                };
                var message = exception.StatusCode is StatusCode.Unauthenticated or StatusCode.PermissionDenied
                    ? "Stopping a trial needs a full API key."
                    : exception.Status.Detail;
                return Results.Content(
                    $"<!DOCTYPE html><html lang=\"en\"><meta charset=\"utf-8\"><title>RnnLab</title><p>{WebUtility.HtmlEncode(message)}</p>" +
                    $"<p><a href=\"/trials/{WebUtility.HtmlEncode(Uri.EscapeDataString(trialId))}\">back to the trial</a></p></html>",
                    "text/html", statusCode: status);
            }
        }).DisableAntiforgery();
}
