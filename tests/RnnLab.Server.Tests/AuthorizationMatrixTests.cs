using Google.Protobuf.Reflection;
using Grpc.Core;
using RnnLab.Contracts.V1;

namespace RnnLab.Server.Tests;

/// <summary>A server with keys on and anonymous reads off.</summary>
public sealed class ClosedServerFixture : ServerFixture
{
    public const string FullKey = "full-5e1f0c2b7a9d";
    public const string ReadKey = "read-8c3d1a6f0e4b";

    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Api:Keys:0"] = FullKey,
        ["Api:ReadKeys:0"] = ReadKey,
        ["Api:AllowAnonymousReads"] = "false",
    };
}

/// <summary>Every RPC of every public service × every kind of caller, with keys on and off.</summary>
public sealed class AuthorizationMatrixTests(ClosedServerFixture closed, ServerFixture open) : IClassFixture<ClosedServerFixture>, IClassFixture<ServerFixture>
{
    // Written out here rather than read from the server, so that a method that loses its protection fails this test.
    private static readonly HashSet<string> Mutating =
        ["SubmitSweep", "CancelSweep", "PauseSweep", "ResumeSweep", "UploadDataset", "DeleteDataset", "ExtendSweep", "RetryTrials", "StopTrial"];

    private static readonly Dictionary<string, string?> Callers = new()
    {
        ["anonymous"] = null,
        ["empty key"] = "Bearer ",
        ["blank key"] = "Bearer    ",
        ["wrong key"] = "Bearer not-a-key",
        ["read key"] = "Bearer " + ClosedServerFixture.ReadKey,
        ["full key"] = "Bearer " + ClosedServerFixture.FullKey,
    };

    private static IEnumerable<MethodDescriptor> Methods =>
        SweepService.Descriptor.Methods.Concat(DatasetService.Descriptor.Methods);

    [Fact]
    public async Task With_keys_on_only_the_right_key_passes_each_method()
    {
        var failures = new List<string>();
        foreach (var method in Methods)
        {
            foreach (var (caller, header) in Callers)
            {
                var expected = caller switch
                {
                    "full key" => (StatusCode?)null,
                    "read key" => Mutating.Contains(method.Name) ? StatusCode.PermissionDenied : null,
                    _ => StatusCode.Unauthenticated,
                };
                var actual = await CallAsync(closed.Invoker(header), method);
                if (expected is { } code ? actual != code : actual is StatusCode.Unauthenticated or StatusCode.PermissionDenied)
                {
                    failures.Add($"{method.Name} as {caller}: {actual?.ToString() ?? "OK"}, expected {expected?.ToString() ?? "to pass authorization"}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Subset(Methods.Select(m => m.Name).ToHashSet(), Mutating);
    }

    [Fact]
    public async Task With_keys_off_every_method_is_open_to_every_caller()
    {
        var failures = new List<string>();
        foreach (var method in Methods)
        {
            foreach (var (caller, header) in Callers)
            {
                if (await CallAsync(open.Invoker(header), method) is StatusCode.Unauthenticated or StatusCode.PermissionDenied)
                {
                    failures.Add($"{method.Name} as {caller} was refused");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>Calls the method with an empty request; null when it answered (or streamed) without an error status.</summary>
    private static async Task<StatusCode?> CallAsync(CallInvoker invoker, MethodDescriptor method)
    {
        var bytes = Marshallers.Create<byte[]>(b => b, b => b);
        var type = (method.IsClientStreaming, method.IsServerStreaming) switch
        {
            (false, false) => MethodType.Unary,
            (true, false) => MethodType.ClientStreaming,
            (false, true) => MethodType.ServerStreaming,
            _ => MethodType.DuplexStreaming,
        };
        var call = new Method<byte[], byte[]>(type, method.Service.FullName, method.Name, bytes, bytes);
        var options = new CallOptions(deadline: DateTime.UtcNow.AddSeconds(20));
        try
        {
            switch (type)
            {
                case MethodType.Unary:
                    await invoker.AsyncUnaryCall(call, null, options, []);
                    break;
                case MethodType.ClientStreaming:
                    using (var streaming = invoker.AsyncClientStreamingCall(call, null, options))
                    {
                        await streaming.RequestStream.CompleteAsync();
                        await streaming.ResponseAsync;
                    }

                    break;
                default:
                    using (var streaming = invoker.AsyncServerStreamingCall(call, null, options, []))
                    {
                        await streaming.ResponseStream.MoveNext(CancellationToken.None);
                    }

                    break;
            }

            return null;
        }
        catch (RpcException exception)
        {
            return exception.StatusCode;
        }
    }
}
