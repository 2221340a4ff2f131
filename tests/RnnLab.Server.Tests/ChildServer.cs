using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Grpc.Health.V1;
using Grpc.Net.Client;
using RnnLab.Contracts.V1;

namespace RnnLab.Server.Tests;

/// <summary>
/// <c>rnnlab serve</c> in its own process (SQLite in a temporary folder): a request that crashes the server ends only
/// that process, so the test sees the crash as a failure instead of losing its own host.
/// </summary>
public sealed class ChildServer : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"rnnlab-child-{Guid.NewGuid():N}");
    private Process? _process;
    private GrpcChannel? _channel;

    public SweepService.SweepServiceClient Client { get; private set; } = null!;

    public bool HasExited => _process!.HasExited;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "rnnlab.dll"), "serve", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--db", Path.Combine(_folder, "rnnlab.db"), "--no-dashboard", "--slots", "1" })
        {
            start.ArgumentList.Add(arg);
        }

        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        _channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
        Client = new SweepService.SweepServiceClient(_channel);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        while (!await IsServingAsync())
        {
            Assert.False(_process.HasExited, $"rnnlab serve exited with {(_process.HasExited ? _process.ExitCode : 0)} before serving");
            await Task.Delay(250, timeout.Token);
        }
    }

    /// <summary>The gRPC health service answers SERVING.</summary>
    public async Task<bool> IsServingAsync()
    {
        try
        {
            var health = await new Health.HealthClient(_channel).CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(5));
            return health.Status == HealthCheckResponse.Types.ServingStatus.Serving;
        }
        catch (global::Grpc.Core.RpcException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async Task DisposeAsync()
    {
        _channel?.Dispose();
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
