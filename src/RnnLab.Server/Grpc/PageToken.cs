namespace RnnLab.Server.Grpc;

/// <summary>Opaque page tokens: the offset of the next page, so a client cannot confuse them with numbers it chose.</summary>
internal static class PageToken
{
    private const string Prefix = "o:";
    public const int DefaultSize = 50;
    public const int MaxSize = 1000;

    public static int Offset(string token, string field)
    {
        if (string.IsNullOrEmpty(token))
        {
            return 0;
        }

        try
        {
            var text = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(token));
            if (text.StartsWith(Prefix, StringComparison.Ordinal) && int.TryParse(text.AsSpan(Prefix.Length), out var offset) && offset >= 0)
            {
                return offset;
            }
        }
        catch (FormatException)
        {
        }

        throw ApiErrors.InvalidArgument(field, "is not a page token from this server");
    }

    public static int Size(int requested, string field) => requested switch
    {
        0 => DefaultSize,
        < 0 => throw ApiErrors.InvalidArgument(field, "must not be negative"),
        > MaxSize => throw ApiErrors.InvalidArgument(field, $"must be at most {MaxSize}"),
        _ => requested,
    };

    public static string Next(int offset, int count, int total) =>
        offset + count < total ? Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Prefix + (offset + count))) : "";
}
