using System.Globalization;

namespace RnnLab.Tasks.Translation;

/// <summary>Parallel corpora whose translations are checkable: <c>numbers</c> (English number words → digits,
/// "four thousand two hundred seven" → "4207") and <c>dates</c> ("march 5, 1998" or "5 march 1998" → "1998-03-05").</summary>
public static class GeneratedPairs
{
    public static IReadOnlyList<string> Kinds { get; } = ["numbers", "dates"];

    private static readonly string[] Ones =
        ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
         "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"];

    private static readonly string[] Tens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];

    private static readonly string[] Months =
        ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

    /// <summary>Distinct pairs drawn with a seed.</summary>
    public static IReadOnlyList<SentencePair> Generate(string kind, int count, int maxNumber, long seed)
    {
        Func<Random, SentencePair> draw = kind switch
        {
            "numbers" => r => Number(r.Next(0, maxNumber + 1)),
            "dates" => Date,
            _ => throw new ArgumentException($"task option 'kind' must be one of {string.Join(", ", Kinds)}, got '{kind}'"),
        };
        var random = new Random(Seeds.Derive(seed, 0x7472616e));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pairs = new List<SentencePair>(count);
        for (var attempts = 0; pairs.Count < count && attempts < count * 20; attempts++)
        {
            var pair = draw(random);
            if (seen.Add(pair.Source))
            {
                pairs.Add(pair);
            }
        }

        if (pairs.Count < count)
        {
            throw new ArgumentException($"only {pairs.Count} distinct '{kind}' pairs exist for these options; ask for fewer (train_size + 2 × eval_size) or a larger max_number");
        }

        return pairs;
    }

    public static SentencePair Number(int value) => new(Words(value), value.ToString(CultureInfo.InvariantCulture));

    public static string Words(int value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        if (value < 20)
        {
            return Ones[value];
        }

        if (value < 100)
        {
            return value % 10 == 0 ? Tens[value / 10] : $"{Tens[value / 10]} {Ones[value % 10]}";
        }

        if (value < 1000)
        {
            return value % 100 == 0 ? $"{Ones[value / 100]} hundred" : $"{Ones[value / 100]} hundred {Words(value % 100)}";
        }

        if (value < 1_000_000)
        {
            return value % 1000 == 0 ? $"{Words(value / 1000)} thousand" : $"{Words(value / 1000)} thousand {Words(value % 1000)}";
        }

        return value % 1_000_000 == 0 ? $"{Words(value / 1_000_000)} million" : $"{Words(value / 1_000_000)} million {Words(value % 1_000_000)}";
    }

    private static SentencePair Date(Random random)
    {
        var date = new DateOnly(1950, 1, 1).AddDays(random.Next(0, 365 * 100));
        var month = Months[date.Month - 1];
        var source = random.Next(2) == 0 ? $"{month} {date.Day}, {date.Year}" : $"{date.Day} {month} {date.Year}";
        return new SentencePair(source, date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }
}
