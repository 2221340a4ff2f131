using Grpc.Core;
using Spectre.Console;
using Spectre.Console.Cli;

namespace RnnLab.Cli.Api;

/// <summary>Base of the client commands: opens the connection and turns gRPC errors into messages and exit codes.</summary>
public abstract class ApiCommand<TSettings> : AsyncCommand<TSettings>
    where TSettings : ApiSettings
{
    public sealed override async Task<int> ExecuteAsync(CommandContext context, TSettings settings, CancellationToken cancellationToken)
    {
        try
        {
            using var connection = new ApiConnection(settings.ServerAddress);
            return await ExecuteAsync(connection, settings, cancellationToken);
        }
        catch (RpcException exception)
        {
            return ApiErrorReport.Print(exception, settings.Json);
        }
        catch (ArgumentException exception)
        {
            ApiErrorReport.PrintMessage(exception.Message, settings.Json);
            return ExitCodes.InvalidArgument;
        }
    }

    protected abstract Task<int> ExecuteAsync(ApiConnection connection, TSettings settings, CancellationToken cancellationToken);
}

/// <summary>Prints a failed call's status (and every field violation) to stderr.</summary>
public static class ApiErrorReport
{
    public static int Print(RpcException exception, bool json)
    {
        var violations = exception.GetRpcStatus()?.GetDetail<Google.Rpc.BadRequest>()?.FieldViolations
            .Select(v => (v.Field, v.Description)).ToList() ?? [];
        var code = exception.StatusCode switch
        {
            StatusCode.InvalidArgument => ExitCodes.InvalidArgument,
            StatusCode.NotFound => ExitCodes.NotFound,
            StatusCode.FailedPrecondition => ExitCodes.FailedPrecondition,
            StatusCode.Unauthenticated => ExitCodes.Unauthenticated,
            StatusCode.PermissionDenied => ExitCodes.PermissionDenied,
            StatusCode.Unavailable => ExitCodes.Unavailable,
            StatusCode.Cancelled => ExitCodes.Interrupted,
            _ => ExitCodes.Error,
        };
        if (json)
        {
            var error = new System.Text.Json.Nodes.JsonObject
            {
                ["error"] = new System.Text.Json.Nodes.JsonObject
                {
                    ["code"] = exception.StatusCode.ToString(),
                    ["message"] = exception.Status.Detail,
                    ["violations"] = new System.Text.Json.Nodes.JsonArray(violations
                        .Select(v => (System.Text.Json.Nodes.JsonNode)new System.Text.Json.Nodes.JsonObject { ["field"] = v.Field, ["description"] = v.Description })
                        .ToArray()),
                },
            };
            Console.Out.WriteLine(error.ToJsonString());
            return code;
        }

        var stderr = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        if (violations.Count > 0)
        {
            stderr.MarkupLineInterpolated($"[red]error ({exception.StatusCode}):[/]");
            foreach (var (field, description) in violations)
            {
                stderr.MarkupLineInterpolated($"  [yellow]{(field.Length == 0 ? "(spec)" : field)}[/]: {description}");
            }
        }
        else if (exception.StatusCode == StatusCode.Unavailable)
        {
            stderr.MarkupLineInterpolated($"[red]error:[/] the server does not answer ({exception.Status.Detail}); is it running? (--server, RNNLAB_SERVER)");
        }
        else
        {
            stderr.MarkupLineInterpolated($"[red]error ({exception.StatusCode}):[/] {exception.Status.Detail}");
        }

        return code;
    }

    public static void PrintMessage(string message, bool json)
    {
        if (json)
        {
            Console.Out.WriteLine(new System.Text.Json.Nodes.JsonObject { ["error"] = new System.Text.Json.Nodes.JsonObject { ["message"] = message } }.ToJsonString());
        }
        else
        {
            Console.Error.WriteLine("error: " + message);
        }
    }
}
