using Google.Rpc;
using Grpc.Core;

namespace RnnLab.Server.Tests;

/// <summary>Asserts on failed calls: their status code and the google.rpc.BadRequest detail.</summary>
internal static class GrpcAssert
{
    public static async Task<RpcException> FailsAsync(StatusCode code, Func<Task> call)
    {
        var exception = await Assert.ThrowsAsync<RpcException>(call);
        Assert.Equal(code, exception.StatusCode);
        Assert.DoesNotContain("   at ", exception.Status.Detail, StringComparison.Ordinal);
        return exception;
    }

    public static IReadOnlyList<BadRequest.Types.FieldViolation> Violations(RpcException exception)
    {
        var detail = exception.GetRpcStatus()?.GetDetail<BadRequest>();
        Assert.NotNull(detail);
        return detail.FieldViolations;
    }
}
