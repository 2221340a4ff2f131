namespace RnnLab.Cli.Api;

/// <summary>
/// Turns the first Ctrl-C into a cancellation the command handles, instead of killing the process mid-call; a
/// second Ctrl-C ends the process at once.
/// </summary>
public sealed class CtrlC : IDisposable
{
    private readonly CancellationTokenSource _source;

    public CtrlC(CancellationToken outer)
    {
        _source = CancellationTokenSource.CreateLinkedTokenSource(outer);
        Console.CancelKeyPress += OnCancelKeyPress;
    }

    public CancellationToken Token => _source.Token;

    public bool Pressed { get; private set; }

    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancelKeyPress;
        _source.Dispose();
    }

    private void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
    {
        // Whatever the command was doing, what is stored stays consistent: the database is the truth.
        e.Cancel = !Pressed;
        Pressed = true;
        _source.Cancel();
    }
}
