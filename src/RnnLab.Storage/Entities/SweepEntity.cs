namespace RnnLab.Storage.Entities;

internal sealed class SweepEntity
{
    public Guid Id { get; set; }
    public string Name { get; set; } = "";
    public string SpecText { get; set; } = "";
    public SweepState State { get; set; }
    public string? IdempotencyKey { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
    public int ExtraTrials { get; set; }
}
