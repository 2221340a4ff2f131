namespace RnnLab.Storage.Entities;

internal sealed class DatasetEntity
{
    public string Sha256 { get; set; } = "";
    public string Name { get; set; } = "";
    public string Format { get; set; } = "";
    public long Size { get; set; }
    public byte[] Bytes { get; set; } = [];
    public DateTime CreatedAt { get; set; }
}
