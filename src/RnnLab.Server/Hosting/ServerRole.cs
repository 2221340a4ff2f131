namespace RnnLab.Server.Hosting;

/// <summary>What one server process does: everything, only the public API, or only training.</summary>
public enum ServerRole
{
    /// <summary>API and worker slots in one process (the default, and what <c>rnnlab serve</c> runs).</summary>
    All,

    /// <summary>Serves the gRPC API and hosts sweep grains; trains nothing.</summary>
    Api,

    /// <summary>Trains trials; exposes only health and metrics.</summary>
    Worker,
}
