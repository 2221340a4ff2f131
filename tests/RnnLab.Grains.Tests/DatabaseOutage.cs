using System.Net;
using System.Net.Sockets;
using Npgsql;
using RnnLab.Tests.Shared;

namespace RnnLab.Grains.Tests;

/// <summary>
/// A TCP relay between the silos and the test PostgreSQL that can take the database away: while down it cuts every
/// open connection and refuses new ones, as a stopped or restarting server does. The shared test server itself is
/// never stopped.
/// </summary>
public sealed class DatabaseOutage : IAsyncDisposable
{
    private readonly TcpRelay _relay;

    public DatabaseOutage(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var host = Dns.GetHostAddresses(builder.Host!).First(a => a.AddressFamily == AddressFamily.InterNetwork);
        _relay = new TcpRelay(host.ToString(), builder.Port);
        builder.Host = "127.0.0.1";
        builder.Port = _relay.Port;
        // A dead connection is noticed within seconds, as in production.
        builder.Timeout = 3;
        RelayedConnectionString = builder.ConnectionString;
    }

    /// <summary>The connection string that goes through the relay.</summary>
    public string RelayedConnectionString { get; }

    public void TakeDown() => _relay.TakeDown();

    public void BringBack() => _relay.BringBack();

    public ValueTask DisposeAsync() => _relay.DisposeAsync();
}
