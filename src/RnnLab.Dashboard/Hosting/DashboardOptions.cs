namespace RnnLab.Dashboard.Hosting;

/// <summary>Where the dashboard finds the RnnLab gRPC API and how it authenticates.</summary>
public sealed class DashboardOptions
{
    /// <summary>Configuration section ("Dashboard:Server", "Dashboard:ApiKey").</summary>
    public const string Section = "Dashboard";

    /// <summary>The gRPC address of an RnnLab server, e.g. http://127.0.0.1:5180.</summary>
    public Uri? Server { get; set; }

    /// <summary>Sent as "authorization: Bearer KEY" when the server requires keys; a read key is enough.</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// Whether visitors must sign in with an API key the server accepts. Unset: on exactly when the server refuses
    /// anonymous reads, so the dashboard never shows anyone more than the API would.
    /// </summary>
    public bool? SignIn { get; set; }

    /// <summary>Learning curves drawn at most on the sweep page; past it the running and best trials are chosen.</summary>
    public int MaxCurves { get; set; } = 200;

    /// <summary>Points per drawn curve at most; longer curves are decimated on the server.</summary>
    public int MaxPointsPerCurve { get; set; } = 150;

    /// <summary>Lines of the parallel-coordinates plot at most.</summary>
    public int MaxParallelLines { get; set; } = 1000;

    internal void Validate()
    {
        if (Server is null || !Server.IsAbsoluteUri || Server.Scheme is not ("http" or "https"))
        {
            throw new InvalidOperationException(
                $"Dashboard:Server must be the absolute http(s) address of an RnnLab server (got '{Server}'); pass --server URL");
        }

        if (MaxCurves < 1 || MaxPointsPerCurve < 3 || MaxParallelLines < 2)
        {
            throw new InvalidOperationException("Dashboard:MaxCurves must be ≥ 1, MaxPointsPerCurve ≥ 3 and MaxParallelLines ≥ 2");
        }
    }
}
