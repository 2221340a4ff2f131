namespace RnnLab.Cli.Api;

/// <summary>Process exit codes of the API commands, so scripts can tell failures apart.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Error = 1;
    public const int InvalidArgument = 2;
    public const int NotFound = 3;
    public const int FailedPrecondition = 4;
    public const int Unauthenticated = 5;
    public const int PermissionDenied = 6;
    public const int Unavailable = 7;

    /// <summary>The watched sweep ended without completing (cancelled or failed).</summary>
    public const int SweepNotCompleted = 8;

    /// <summary>Stopped by Ctrl-C (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = 130;
}
