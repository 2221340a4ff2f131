namespace RnnLab.Storage;

/// <summary>
/// A write broke a rule of the stored data: a trial number or event sequence already used, or a reference to a row
/// that does not exist. Nothing of the write was kept. Thrown by every provider, so callers need not know which
/// database is behind the stores; the provider's own error is the inner exception.
/// </summary>
public sealed class StorageConflictException(string message, Exception? innerException = null) : Exception(message, innerException);
