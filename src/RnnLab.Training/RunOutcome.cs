namespace RnnLab.Training;

/// <summary>How a trial run ended.</summary>
public enum RunOutcome
{
    /// <summary>Ran all epochs, or stopped early on its own patience.</summary>
    Completed,

    /// <summary>Stopped by the epoch callback (an early-stopping scheduler).</summary>
    Pruned,

    /// <summary>The loss became NaN or infinite.</summary>
    Diverged,

    /// <summary>Cancelled through the token; the last checkpoint can resume it.</summary>
    Cancelled,
}
