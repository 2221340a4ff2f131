namespace RnnLab.Dashboard.Live;

/// <summary>Whether a page's stream from the server is up; while not, how many reconnects were tried and why it dropped.</summary>
public sealed record ConnectionState(bool Connected, int Attempt, string? Problem)
{
    public static ConnectionState Up { get; } = new(true, 0, null);
}
