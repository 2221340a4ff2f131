using System.Net;
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

            silo.AddActivityPropagation();
            silo.AddIncomingGrainCallFilter<EpochTimingFilter>();
            silo.AddRnnLab(options);
        });
        return builder;
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
            var advertised = cluster.ParsedAdvertisedIp;
            // A routable advertised address means other machines connect, so listen on every interface then.
            silo.ConfigureEndpoints(advertised, cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: !IPAddress.IsLoopback(advertised));
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
