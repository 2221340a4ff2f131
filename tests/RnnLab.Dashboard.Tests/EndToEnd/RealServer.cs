using Grpc.Net.Client;
using RnnLab.Contracts.V1;
using RnnLab.Server.Hosting;
using RnnLab.Storage.Tests;

namespace RnnLab.Dashboard.Tests.EndToEnd;

/// <summary>A real RnnLab server (Kestrel on loopback, an Orleans silo, its own PostgreSQL database) that can be restarted on the same port.</summary>
internal sealed class RealServer : IAsyncDisposable
{
    private readonly string _connectionString;
    private GrpcChannel? _channel;

    private RealServer(string connectionString) => _connectionString = connectionString;

    public LocalServer Server { get; private set; } = null!;

    public SweepService.SweepServiceClient Client { get; private set; } = null!;

    public static async Task<RealServer> StartAsync(string name)
    {
        var server = new RealServer(await TestPostgres.CreateDatabaseAsync(name));
        await server.StartOnAsync(0);
        return server;
    }

    /// <summary>
    /// Stops the server almost at once, as a crash or a deploy would: open streams are cut after a second instead of
    /// the graceful 30 s a host grants them.
    /// </summary>
    public async Task StopAsync()
    {
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            await Server.App.StopAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
        }

        await Server.DisposeAsync();
    }

    /// <summary>A new server on the same port and database.</summary>
    public Task RestartAsync() => StartOnAsync(Server.Address.Port);

    private async Task StartOnAsync(int port)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Role"] = "All",
            ["Storage:Provider"] = "Postgres",
            ["Storage:ConnectionString"] = _connectionString,
            ["Slots"] = "3",
            ["BenchmarkTasks"] = "true",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        Server = await LocalServer.StartAsync(settings, port: port);
        _channel?.Dispose();
        _channel = GrpcChannel.ForAddress(Server.Address);
        Client = new SweepService.SweepServiceClient(_channel);
    }

    public async ValueTask DisposeAsync()
    {
        _channel?.Dispose();
        try
        {
            await Server.DisposeAsync();
        }
        catch (ObjectDisposedException)
        {
        }

        await TestPostgres.DropDatabaseAsync(_connectionString);
    }
}
