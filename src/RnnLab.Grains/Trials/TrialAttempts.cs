namespace RnnLab.Grains.Trials;

/// <summary>
/// One trial's attempts, free of Orleans: which attempt is current and on which worker (the fence every report must
/// pass), how many attempts and failures it may still spend, the back-off of a retry, and which epoch comes next.
/// </summary>
internal sealed class TrialAttempts(int retries, int maxLostAttempts, TimeSpan retryBackoff)
{
    public TrialState State { get; private set; }

    public int Attempt { get; private set; }

    public string? Worker { get; private set; }

    /// <summary>Attempts that threw in this activation; more than the sweep's retries fail the trial.</summary>
    public int Failures { get; private set; }

    /// <summary>The epoch the next report should carry; null until known (a reactivation mid-attempt).</summary>
    public int? NextEpoch { get; private set; }

    /// <summary>All attempts a trial may run: its retries, and the lost workers allowed on top of them, plus the first.</summary>
    public int MaxAttempts => retries + 1 + maxLostAttempts;

    /// <summary>Takes the trial's stored state (activation, or a conditional update that found it changed).</summary>
    public void Load(TrialState state, int attempt, string? worker)
    {
        State = state;
        Attempt = attempt;
        Worker = worker;
    }

    /// <summary>Whether the next attempt would exceed <see cref="MaxAttempts"/>: the trial must fail.</summary>
    public bool AttemptsSpent => !State.IsFinal() && Attempt + 1 > MaxAttempts;

    /// <summary>A started attempt: it runs on <paramref name="worker"/> from the epoch after <paramref name="resumeFrom"/>.</summary>
    public void Begin(int attempt, string worker, int? resumeFrom)
    {
        Attempt = attempt;
        Worker = worker;
        State = TrialState.Running;
        NextEpoch = (resumeFrom ?? 0) + 1;
    }

    /// <summary>Whether a call naming <paramref name="attempt"/> comes from the running attempt; any other is stale.</summary>
    public bool IsCurrent(int attempt) => attempt == Attempt && State == TrialState.Running;

    /// <summary>Whether <paramref name="worker"/> runs the current attempt.</summary>
    public bool IsRunningOn(string worker) => State == TrialState.Running && worker == Worker;

    /// <summary>Learns the next epoch from the last one recorded (0 for none), after a reactivation mid-attempt.</summary>
    public void ResumeAfter(int lastRecordedEpoch) => NextEpoch = lastRecordedEpoch + 1;

    /// <summary>Places a reported epoch; <see cref="NextEpoch"/> must be known.</summary>
    public EpochOrder Order(int epoch)
    {
        var next = NextEpoch ?? throw new InvalidOperationException("The next epoch is not known yet.");
        return epoch > next ? EpochOrder.Hole : epoch < next ? EpochOrder.Repeated : EpochOrder.Next;
    }

    /// <summary>An epoch was recorded: the next report carries the one after it.</summary>
    public void Recorded(int epoch) => NextEpoch = epoch + 1;

    /// <summary>
    /// The current attempt threw: null when that spent the sweep's retries (the trial fails), otherwise when the
    /// retry may start — the back-off doubles with every failure.
    /// </summary>
    public DateTime? Failed(DateTime now)
    {
        Failures++;
        return Failures > retries ? null : now + retryBackoff * Math.Pow(2, Failures - 1);
    }

    /// <summary>The trial went back to the queue: no worker runs it.</summary>
    public void Requeued()
    {
        State = TrialState.Pending;
        Worker = null;
    }

    public void Finished(TrialState state) => State = state;
}
