using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Options;

namespace RnnLab.Server.Security;

/// <summary>Checks the bearer key of every call to the sweep service; mutating methods need a full key.</summary>
public sealed class ApiKeyInterceptor(IOptionsMonitor<ApiSecurityOptions> options) : Interceptor
{
    private static readonly HashSet<string> MutatingMethods = new(StringComparer.Ordinal)
    {
        "SubmitSweep", "CancelSweep", "PauseSweep", "ResumeSweep", "UploadDataset", "DeleteDataset",
        "ExtendSweep", "RetryTrials", "StopTrial",
    };

    /// <summary>The methods that need a full key; every other method is a read.</summary>
    internal static IReadOnlySet<string> Mutating => MutatingMethods;

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return continuation(request, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return continuation(requestStream, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return continuation(request, responseStream, context);
    }

    private void Authorize(ServerCallContext context)
    {
        var current = options.CurrentValue;
        if (!current.Enabled)
        {
            return;
        }

        var mutating = MutatingMethods.Contains(MethodName(context.Method));
        var key = BearerKey(context.RequestHeaders);
        if (key is null)
        {
            if (!mutating && current.AllowAnonymousReads)
            {
                return;
            }

            throw new RpcException(new Status(StatusCode.Unauthenticated, "this call needs an API key: send 'authorization: Bearer KEY'"));
        }

        if (Matches(key, current.Keys))
        {
            return;
        }

        if (Matches(key, current.ReadKeys))
        {
            if (!mutating)
            {
                return;
            }

            throw new RpcException(new Status(StatusCode.PermissionDenied, "this API key may only read"));
        }

        // The key itself is never echoed: it may be a real key sent to the wrong server.
        throw new RpcException(new Status(StatusCode.Unauthenticated, "the API key is not valid"));
    }

    private static string MethodName(string fullMethod) => fullMethod[(fullMethod.LastIndexOf('/') + 1)..];

    private static string? BearerKey(Metadata headers)
    {
        var value = headers.GetValue("authorization");
        if (value is null)
        {
            return null;
        }

        const string scheme = "Bearer ";
        // A blank token is no key at all: it must never match (blank configured keys are refused at start too).
        return value.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) && value[scheme.Length..].Trim() is { Length: > 0 } key ? key : null;
    }

    private static bool Matches(string key, List<string> keys)
    {
        // Hashing first makes the comparison constant-time regardless of key lengths.
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        var found = false;
        foreach (var candidate in keys)
        {
            found |= CryptographicOperations.FixedTimeEquals(presented, SHA256.HashData(Encoding.UTF8.GetBytes(candidate)));
        }

        return found;
    }
}
