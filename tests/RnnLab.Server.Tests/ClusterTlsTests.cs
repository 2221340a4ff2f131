using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Net.Client;
using RnnLab.Contracts.V1;
using RnnLab.Server.Hosting;
using RnnLab.Storage.Tests;

namespace RnnLab.Server.Tests;

/// <summary>Silos that share a cluster certificate talk TLS to each other and refuse a peer without it.</summary>
public sealed class ClusterTlsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("rnnlab-tls-").FullName;

    [Fact]
    public async Task Silos_with_the_cluster_certificate_run_a_sweep_over_tls_and_a_stranger_cannot_handshake()
    {
        var (clusterPath, cluster) = Certificate("rnnlab-cluster");
        var (_, stranger) = Certificate("stranger");
        var connectionString = await TestPostgres.CreateDatabaseAsync("rnnlab_tls");
        try
        {
            var apiSiloPort = FreePort();
            var starting = new[] { ("Api", apiSiloPort), ("Worker", FreePort()) }
                .Select(s => LocalServer.StartAsync(Settings(s.Item1, s.Item2, connectionString, clusterPath))).ToList();
            await using var api = await starting[0];
            await using var worker = await starting[1];

            using var channel = GrpcChannel.ForAddress(api.Address);
            var client = new SweepService.SweepServiceClient(channel);
            var submitted = await client.SubmitSweepAsync(new SubmitSweepRequest { SpecYaml = Specs.Quadratic("tls", trials: 4, epochs: 2) });
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            Sweep sweep;
            do
            {
                await Task.Delay(200, timeout.Token);
                sweep = await client.GetSweepAsync(new GetSweepRequest { SweepId = submitted.Sweep.Id }, cancellationToken: timeout.Token);
            }
            while (sweep.State is not (SweepState.Completed or SweepState.Failed or SweepState.Cancelled));

            // The api silo has no slots: the trials ran on the worker, across the TLS connection.
            Assert.Equal(SweepState.Completed, sweep.State);
            Assert.Equal(cluster.Thumbprint, await HandshakeAsync(apiSiloPort, cluster));
            Assert.Null(await HandshakeAsync(apiSiloPort, stranger));
        }
        finally
        {
            await TestPostgres.DropDatabaseAsync(connectionString);
        }
    }

    /// <summary>The silo's certificate thumbprint after a TLS handshake presenting <paramref name="client"/>, or null
    /// when the silo refuses it.</summary>
    private static async Task<string?> HandshakeAsync(int port, X509Certificate2 client)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        await using var tls = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "rnnlab-cluster",
                ClientCertificates = [client],
            });
            // TLS 1.3 reports a refused client certificate on the first read, not in the handshake.
            tls.ReadTimeout = 5000;
            var buffer = new byte[1];
            var read = tls.ReadAsync(buffer).AsTask();
            var finished = await Task.WhenAny(read, Task.Delay(3000));
            if (finished == read && (read.IsFaulted || read.Result == 0))
            {
                return null;
            }

            return new X509Certificate2(tls.RemoteCertificate!).Thumbprint;
        }
        catch (Exception exception) when (exception is System.Security.Authentication.AuthenticationException or IOException)
        {
            return null;
        }
    }

    private (string Path, X509Certificate2 Certificate) Certificate(string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var path = Path.Combine(_folder, name + ".pfx");
        File.WriteAllBytes(path, created.Export(X509ContentType.Pfx, "secret"));
        return (path, X509CertificateLoader.LoadPkcs12FromFile(path, "secret"));
    }

    private static Dictionary<string, string?> Settings(string role, int siloPort, string connectionString, string certificate) => new()
    {
        ["Role"] = role,
        ["Storage:Provider"] = "Postgres",
        ["Storage:ConnectionString"] = connectionString,
        ["Cluster:Provider"] = "Postgres",
        ["Cluster:ClusterId"] = "tls-test",
        ["Cluster:ServiceId"] = "tls-test",
        ["Cluster:SiloPort"] = siloPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Cluster:Tls:CertificatePath"] = certificate,
        ["Cluster:Tls:CertificatePassword"] = "secret",
        ["Slots"] = "2",
        ["BenchmarkTasks"] = "true",
        ["Logging:LogLevel:Default"] = "Warning",
    };

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
