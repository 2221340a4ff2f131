using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Orleans.Connections.Security;
using Orleans.Configuration;
using RnnLab.Grains;
using RnnLab.Grains.Hosting;
using RnnLab.Server.Telemetry;

namespace RnnLab.Server.Hosting;

/// <summary>Hosts the Orleans silo of this process with RnnLab's grains, in the configured role.</summary>
public static class SiloHostingExtensions
{
    public static WebApplicationBuilder AddRnnLabSilo(this WebApplicationBuilder builder, OrchestrationOptions options)
    {
        var cluster = ClusterSettings.From(builder.Configuration);
        var provider = cluster.ParsedProvider;
        builder.UseOrleans(silo =>
        {
            if (provider == ClusterProvider.Postgres)
            {
                silo.UsePostgresClustering(cluster, options.Storage);
            }
            else
            {
                silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort);
            }

            if (cluster.Tls.Enabled)
            {
                silo.UseClusterTls(cluster.Tls);
            }

            silo.AddActivityPropagation();
            silo.AddIncomingGrainCallFilter<EpochTimingFilter>();
            silo.AddRnnLab(options);
        });
        return builder;
    }

    private static void UseClusterTls(this ISiloBuilder silo, ClusterTlsSettings tls)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(tls.CertificatePath!, tls.CertificatePassword);
        }
        catch (Exception exception) when (exception is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"Cluster:Tls:CertificatePath '{tls.CertificatePath}' could not be read as a PKCS#12 certificate: {exception.Message}", exception);
        }

        if (!certificate.HasPrivateKey)
        {
            throw new InvalidOperationException($"Cluster:Tls:CertificatePath '{tls.CertificatePath}' holds no private key");
        }

        silo.UseTls(certificate, options =>
        {
            options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
            options.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
            // Pinned to the cluster's own certificate: a self-signed one fails chain checks, and a certificate from
            // a public CA must not be enough to join.
            options.RemoteCertificateValidation = (remote, _, _) => remote.RawDataMemory.Span.SequenceEqual(certificate.RawDataMemory.Span);
        });
    }

    /// <summary>ADO.NET membership on PostgreSQL, so silos in several processes or on several machines form one cluster.</summary>
    private static void UsePostgresClustering(this ISiloBuilder silo, ClusterSettings cluster, RnnLab.Storage.StorageOptions storage)
    {
        var connectionString = cluster.ResolveConnectionString(storage);
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = cluster.ClusterId;
            o.ServiceId = cluster.ServiceId;
        });
        if (cluster.Kubernetes)
        {
            // The pod's IP is advertised and every interface listened on; only the ports come from here.
            silo.Configure<EndpointOptions>(o =>
            {
                o.SiloPort = cluster.SiloPort;
                o.GatewayPort = cluster.GatewayPort;
            });
            silo.UseKubernetesHosting();
        }
        else
        {
            // Silo and gateway ports listen on the advertised address only: they carry unauthenticated grain calls
            // (unless Cluster:Tls is set), so they must never be reachable on an interface the operator did not name.
            silo.ConfigureEndpoints(cluster.ParsedAdvertisedIp, cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: false);
        }

        silo.UseAdoNetClustering(o =>
        {
            o.Invariant = "Npgsql";
            o.ConnectionString = connectionString;
        });
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp =>
            new PostgresClusteringSchema(connectionString, sp.GetRequiredService<ILogger<PostgresClusteringSchema>>()));
    }
}
