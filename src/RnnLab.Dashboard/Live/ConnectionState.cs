namespace RnnLab.Dashboard.Live;

/// <summary>Whether a page's stream from the server is up; while not, how many reconnects were tried and why it dropped.</summary>
/// <param name="Retrying">False once the page has stopped trying (the failure is not one a reconnect cures).</param>
public sealed record ConnectionState(bool Connected, int Attempt, string? Problem, bool Retrying = true)
{
    public static ConnectionState Up { get; } = new(true, 0, null);
}
