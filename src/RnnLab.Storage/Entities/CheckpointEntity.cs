namespace RnnLab.Storage.Entities;

internal sealed class CheckpointEntity
{
    public Guid TrialId { get; set; }
    public int Epoch { get; set; }
    public byte[] Bytes { get; set; } = [];
    public DateTime CreatedAt { get; set; }
}
