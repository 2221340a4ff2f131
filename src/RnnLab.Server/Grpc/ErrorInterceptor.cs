using Grpc.Core;
using Grpc.Core.Interceptors;
using RnnLab.Sweeps.Spec;

namespace RnnLab.Server.Grpc;

/// <summary>Turns exceptions that escape a service method into status codes; unexpected ones become INTERNAL with no detail.</summary>
public sealed class ErrorInterceptor(ILogger<ErrorInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception exception) when (exception is not RpcException)
        {
            throw Translate(exception, context);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception exception) when (exception is not RpcException)
        {
            throw Translate(exception, context);
        }
    }

    private RpcException Translate(Exception exception, ServerCallContext context)
    {
        switch (exception)
        {
            case SpecException spec:
                return ApiErrors.InvalidSpec(spec.Errors);
            case OperationCanceledException when context.CancellationToken.IsCancellationRequested:
                return new RpcException(new Status(StatusCode.Cancelled, "the call was cancelled"));
            default:
                var traceId = System.Diagnostics.Activity.Current?.TraceId.ToString() ?? context.GetHttpContext().TraceIdentifier;
                logger.LogError(exception, "{Method} failed (trace {TraceId})", context.Method, traceId);
                return new RpcException(new Status(StatusCode.Internal, $"internal error (trace {traceId}); the server log has the details"));
        }
    }
}
