using System.Diagnostics;

namespace RnnLab.Storage;

/// <summary>The storage's trace source: spans for writes that travel in shared batches, where no EF Core span exists.</summary>
public static class StorageTelemetry
{
    public const string SourceName = "RnnLab.Storage";

    internal static readonly ActivitySource Source = new(SourceName);
}
