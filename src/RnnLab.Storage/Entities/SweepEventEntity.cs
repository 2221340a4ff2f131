namespace RnnLab.Storage.Entities;

internal sealed class SweepEventEntity
{
    public Guid SweepId { get; set; }
    public long Sequence { get; set; }
    public string Kind { get; set; } = "";
    public string PayloadJson { get; set; } = "{}";
    public DateTime Time { get; set; }
}
