using RnnLab.Storage;

namespace RnnLab.Server.Hosting;

/// <summary>Hosts the Orleans silo of this process in the configured role.</summary>
public static class SiloHostingExtensions
{
    public static WebApplicationBuilder AddRnnLabSilo(this WebApplicationBuilder builder, ServerRole role, StorageOptions storage)
    {
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering();
            silo.AddActivityPropagation();
        });
        return builder;
    }
}
