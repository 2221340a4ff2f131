namespace RnnLab.Tasks.Data;

/// <summary>A public dataset file: its file name in a data directory, its checksum and where to fetch it.</summary>
public sealed record DatasetInfo(string Name, string FileName, string Sha256, Uri Address);
