namespace RnnLab.Storage.Entities;

internal sealed class MetricPointEntity
{
    public long Id { get; set; }
    public Guid TrialId { get; set; }
    public int Epoch { get; set; }
    public string Name { get; set; } = "";
    public double Value { get; set; }
}
