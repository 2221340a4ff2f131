using System.Net;
using RnnLab.Storage;

namespace RnnLab.Server.Hosting;

/// <summary>How this process's silo finds the others: the "Cluster" configuration section.</summary>
public sealed class ClusterSettings
{
    public const string Section = "Cluster";

    /// <summary>Localhost (one process, the default) or Postgres (ADO.NET membership shared by several processes).</summary>
    public string Provider { get; set; } = nameof(ClusterProvider.Localhost);

    /// <summary>The membership database; empty means the storage database when storage is on PostgreSQL.</summary>
    public string? ConnectionString { get; set; }

    public string ClusterId { get; set; } = "rnnlab";

    public string ServiceId { get; set; } = "rnnlab";

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// Whether the silo takes its identity from its Kubernetes pod (name, IP from POD_NAME/POD_IP, cluster and service
    /// ids from ORLEANS_CLUSTER_ID/ORLEANS_SERVICE_ID) and removes the pods of silos the cluster declared dead.
    /// Membership stays on PostgreSQL; AdvertisedIp is ignored then.
    /// </summary>
    public bool Kubernetes { get; set; }

    /// <summary>The address other silos reach this one at.</summary>
    public string AdvertisedIp { get; set; } = "127.0.0.1";

    /// <summary>TLS between silos (Cluster:Tls:CertificatePath, Cluster:Tls:CertificatePassword); off when no certificate is set.</summary>
    public ClusterTlsSettings Tls { get; set; } = new();

    public static ClusterSettings From(IConfiguration configuration)
    {
        var settings = new ClusterSettings();
        configuration.GetSection(Section).Bind(settings);
        return settings;
    }

    public ClusterProvider ParsedProvider =>
        Enum.TryParse<ClusterProvider>(Provider, ignoreCase: true, out var provider) && Enum.IsDefined(provider)
            ? provider
            : throw new InvalidOperationException(
                $"Cluster:Provider '{Provider}' is not valid; use one of: {string.Join(", ", Enum.GetNames<ClusterProvider>())}.");

    public IPAddress ParsedAdvertisedIp =>
        IPAddress.TryParse(AdvertisedIp, out var address)
            ? address
            : throw new InvalidOperationException($"Cluster:AdvertisedIp '{AdvertisedIp}' is not an IP address.");

    /// <summary>The membership connection string, falling back to the storage one when storage is on PostgreSQL.</summary>
    public string ResolveConnectionString(StorageOptions storage)
    {
        if (!string.IsNullOrWhiteSpace(ConnectionString))
        {
            return ConnectionString;
        }

        if (storage.Provider == StorageProvider.Postgres && !string.IsNullOrWhiteSpace(storage.ConnectionString))
        {
            return storage.ConnectionString;
        }

        throw new InvalidOperationException(
            "Cluster:Provider is Postgres but Cluster:ConnectionString is not set and storage is not on PostgreSQL to fall back to.");
    }
}

/// <summary>Where silo membership lives.</summary>
public enum ClusterProvider
{
    Localhost,
    Postgres,
}

/// <summary>
/// TLS for the silo and gateway ports. Every silo presents the same cluster certificate (a PKCS#12 file) and accepts
/// a peer only if it presents that certificate too, so a process without the file cannot join or call grains.
/// </summary>
public sealed class ClusterTlsSettings
{
    public string? CertificatePath { get; set; }

    public string? CertificatePassword { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(CertificatePath);
}
