namespace RnnLab.Sweeps.Stopping;

/// <summary>Never stops a trial (non-finite values excepted: a diverged trial cannot recover).</summary>
public sealed class NoEarlyStopping : IEarlyStopping
{
    public StoppingDecision Report(long trialId, int epoch, double value) =>
        double.IsFinite(value) ? StoppingDecision.Continue : StoppingDecision.Stop;
}
