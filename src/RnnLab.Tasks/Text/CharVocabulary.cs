using System.Globalization;

namespace RnnLab.Tasks.Text;

/// <summary>The symbols of a text: Unicode text elements (grapheme clusters), so a Chinese character, an emoji
/// with modifiers or "e" + combining accent is one symbol. Ids follow ordinal order of the symbols.</summary>
public sealed class CharVocabulary
{
    private readonly Dictionary<string, int> _ids;

    public CharVocabulary(IEnumerable<string> symbols)
    {
        Symbols = symbols.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (Symbols.Count == 0)
        {
            throw new ArgumentException("a vocabulary needs at least one symbol");
        }

        _ids = Symbols.Select((s, i) => (s, i)).ToDictionary(p => p.s, p => p.i, StringComparer.Ordinal);
    }

    public IReadOnlyList<string> Symbols { get; }

    public int Count => Symbols.Count;

    public static CharVocabulary FromText(string text) => new(Elements(text));

    public static IEnumerable<string> Elements(string text)
    {
        var enumerator = StringInfo.GetTextElementEnumerator(text);
        while (enumerator.MoveNext())
        {
            yield return enumerator.GetTextElement();
        }
    }

    public bool Contains(string symbol) => _ids.ContainsKey(symbol);

    /// <summary>The id of a symbol of the vocabulary.</summary>
    public int IdOf(string symbol) => _ids[symbol];

    /// <summary>Ids of a text's symbols; a symbol outside the vocabulary is an error naming it and its position.</summary>
    public long[] Encode(string text)
    {
        var ids = new List<long>(text.Length);
        foreach (var element in Elements(text))
        {
            if (!_ids.TryGetValue(element, out var id))
            {
                throw new ArgumentException(
                    $"'{element}' (U+{char.ConvertToUtf32(element, 0):X4}) at symbol {ids.Count} is not in the model's vocabulary of {Count} symbols");
            }

            ids.Add(id);
        }

        return ids.ToArray();
    }

    public string Decode(IEnumerable<long> ids) => string.Concat(ids.Select(i => Symbols[(int)i]));
}
