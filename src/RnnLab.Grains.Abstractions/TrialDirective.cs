namespace RnnLab.Grains;

/// <summary>What a worker does with a trial after reporting an epoch.</summary>
[GenerateSerializer, Alias("rnnlab.TrialDirective")]
public enum TrialDirective
{
    /// <summary>Train the next epoch.</summary>
    Continue,

    /// <summary>Early stopping pruned it: end now, the result counts as Pruned.</summary>
    Stop,

    /// <summary>The sweep was cancelled, or this attempt lost its lease: abandon it.</summary>
    Cancel,
}
