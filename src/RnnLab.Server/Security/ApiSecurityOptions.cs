namespace RnnLab.Server.Security;

/// <summary>API keys (sent as <c>authorization: Bearer KEY</c>). With no keys configured the API is open.</summary>
public sealed class ApiSecurityOptions
{
    public const string Section = "Api";

    /// <summary>Keys that may call every method, including the mutating ones.</summary>
    public List<string> Keys { get; set; } = [];

    /// <summary>Keys that may only read; a mutating call with one is PERMISSION_DENIED.</summary>
    public List<string> ReadKeys { get; set; } = [];

    /// <summary>When keys are configured, whether read methods still answer callers without a key.</summary>
    public bool AllowAnonymousReads { get; set; } = true;

    /// <summary>Lets a server that listens beyond loopback start without keys (everyone may do everything).</summary>
    public bool AllowAnonymous { get; set; }

    /// <summary>Whether gRPC reflection (service discovery for grpcurl and the like) is served.</summary>
    public bool Reflection { get; set; } = true;

    /// <summary>The largest estimated memory of one trial a submitted spec may ask for (8 GiB by default).</summary>
    public long MaxTrialBytes { get; set; } = 8L << 30;

    internal bool Enabled => Keys.Count > 0 || ReadKeys.Count > 0;
}
