using RnnLab.Grains;
using RnnLab.Grains.Hosting;
using RnnLab.Server.Telemetry;

namespace RnnLab.Server.Hosting;

/// <summary>Hosts the Orleans silo of this process with RnnLab's grains, in the configured role.</summary>
public static class SiloHostingExtensions
{
    public static WebApplicationBuilder AddRnnLabSilo(this WebApplicationBuilder builder, OrchestrationOptions options)
    {
        var cluster = builder.Configuration.GetSection("Cluster");
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(cluster.GetValue("SiloPort", 11111), cluster.GetValue("GatewayPort", 30000));
            silo.AddActivityPropagation();
            silo.AddIncomingGrainCallFilter<EpochTimingFilter>();
            silo.AddRnnLab(options);
        });
        return builder;
    }
}
