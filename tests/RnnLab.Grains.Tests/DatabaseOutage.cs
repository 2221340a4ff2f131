using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace RnnLab.Grains.Tests;

/// <summary>
/// A TCP relay between the silos and the test PostgreSQL that can take the database away: while down it cuts every
/// open connection and refuses new ones, as a stopped or restarting server does. The shared test server itself is
/// never stopped.
/// </summary>
public sealed class DatabaseOutage : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly List<TcpClient> _open = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private volatile bool _down;

    public DatabaseOutage(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        _target = new IPEndPoint(Dns.GetHostAddresses(builder.Host!).First(a => a.AddressFamily == AddressFamily.InterNetwork), builder.Port);
        _listener.Start();
        builder.Host = "127.0.0.1";
        builder.Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        // A dead connection is noticed within seconds, as in production.
        builder.Timeout = 3;
        RelayedConnectionString = builder.ConnectionString;
        _accepting = Task.Run(AcceptLoopAsync);
    }

    /// <summary>The connection string that goes through the relay.</summary>
    public string RelayedConnectionString { get; }

    public void TakeDown()
    {
        _down = true;
        lock (_open)
        {
            foreach (var client in _open)
            {
                client.Client.LingerState = new LingerOption(true, 0);
                client.Dispose();
            }

            _open.Clear();
        }
    }

    public void BringBack() => _down = false;

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (_down)
            {
                client.Client.LingerState = new LingerOption(true, 0);
                client.Dispose();
                continue;
            }

            _ = Task.Run(() => RelayAsync(client));
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using var server = new TcpClient();
        try
        {
            await server.ConnectAsync(_target, _stop.Token);
            lock (_open)
            {
                _open.Add(client);
                _open.Add(server);
            }

            using var either = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            var up = client.GetStream().CopyToAsync(server.GetStream(), either.Token);
            var down = server.GetStream().CopyToAsync(client.GetStream(), either.Token);
            await Task.WhenAny(up, down);
            await either.CancelAsync();
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The outage (or the end of the test) cut it.
        }
        finally
        {
            lock (_open)
            {
                _open.Remove(client);
                _open.Remove(server);
            }

            client.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        TakeDown();
        await _accepting;
        _stop.Dispose();
    }
}
