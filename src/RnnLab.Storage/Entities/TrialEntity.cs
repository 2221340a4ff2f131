namespace RnnLab.Storage.Entities;

internal sealed class TrialEntity
{
    public Guid Id { get; set; }
    public Guid SweepId { get; set; }
    public int Number { get; set; }
    public string ParametersJson { get; set; } = "{}";

    /// <summary>The <c>cell</c> parameter, copied out of the JSON so that pages can filter by it in SQL.</summary>
    public string? Cell { get; set; }

    public TrialState State { get; set; }
    public int Attempt { get; set; }
    public string? ResultJson { get; set; }
    public double? Objective { get; set; }
    public string? Error { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
    public string? Worker { get; set; }
    public DateTime? LeaseExpiresAt { get; set; }
    public int? ResumedFromEpoch { get; set; }
}
