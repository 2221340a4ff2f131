using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using RnnLab.Storage;

namespace RnnLab.Server.Grpc;

/// <summary>
/// ListTrials page tokens: the key of the last trial a page held (base64url), so the next page seeks to it, bound to
/// the sweep, filter and order it was issued for. A token is refused when it was damaged or is sent with another query,
/// where its key would mean a different place.
/// </summary>
/// <remarks>
/// Layout: version (1 byte), query fingerprint (8), has-objective flag (1), objective as IEEE bits (8, only with the
/// flag), number (4), then a check (4) over everything before it.
/// </remarks>
internal static class TrialPageToken
{
    private const byte Version = 1;
    private const int FingerprintSize = 8;
    private const int CheckSize = 4;

    public static string Encode(TrialKey key, Guid sweepId, TrialFilter filter)
    {
        var bytes = new List<byte>(32) { Version };
        bytes.AddRange(Fingerprint(sweepId, filter));
        Span<byte> scratch = stackalloc byte[8];
        if (key.Objective is { } objective)
        {
            bytes.Add(1);
            BinaryPrimitives.WriteInt64BigEndian(scratch, BitConverter.DoubleToInt64Bits(objective));
            bytes.AddRange(scratch.ToArray());
        }
        else
        {
            bytes.Add(0);
        }

        BinaryPrimitives.WriteInt32BigEndian(scratch, key.Number);
        bytes.AddRange(scratch[..4].ToArray());
        bytes.AddRange(Check(bytes.ToArray()));
        return Base64Url.EncodeToString(bytes.ToArray());
    }

    /// <summary>The key a token seeks after; null for no token (the first page).</summary>
    public static TrialKey? Decode(string token, Guid sweepId, TrialFilter filter, string field)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        var bytes = Parse(token) ?? throw ApiErrors.InvalidArgument(field, "is not a trial page token from this server");
        if (!bytes.AsSpan(1, FingerprintSize).SequenceEqual(Fingerprint(sweepId, filter)))
        {
            throw ApiErrors.InvalidArgument(field, "was issued for another sweep, filter or order; send the query the token came with, or none to start again");
        }

        var at = 1 + FingerprintSize + 1;
        double? objective = null;
        if (bytes[1 + FingerprintSize] == 1)
        {
            objective = BitConverter.Int64BitsToDouble(BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(at)));
            at += 8;
        }

        return new TrialKey(objective, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(at)));
    }

    /// <summary>The token's bytes when its layout, version and check hold; otherwise null.</summary>
    private static byte[]? Parse(string token)
    {
        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(token);
        }
        catch (FormatException)
        {
            return null;
        }

        const int head = 1 + FingerprintSize + 1;
        if (bytes.Length < head || bytes[0] != Version || bytes[head - 1] > 1)
        {
            return null;
        }

        var length = head + (bytes[head - 1] == 1 ? 8 : 0) + 4 + CheckSize;
        if (bytes.Length != length || !bytes.AsSpan(length - CheckSize).SequenceEqual(Check(bytes.AsSpan(0, length - CheckSize).ToArray())))
        {
            return null;
        }

        return bytes;
    }

    /// <summary>What the key's place depends on: the sweep, the states, the cells and the order, each set in one canonical order.</summary>
    private static byte[] Fingerprint(Guid sweepId, TrialFilter filter)
    {
        var text = new StringBuilder()
            .Append(sweepId.ToString("N")).Append('\n')
            .Append(filter.Order).Append('\n')
            .AppendJoin(',', filter.States.Select(s => s.ToString()).Order(StringComparer.Ordinal)).Append('\n');
        foreach (var cell in filter.Cells.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            // Length-prefixed, so no cell name can pass for two.
            text.Append(cell.Length).Append(':').Append(cell);
        }

        return SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()))[..FingerprintSize];
    }

    private static byte[] Check(byte[] payload) => SHA256.HashData(payload)[..CheckSize];
}
