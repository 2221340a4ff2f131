using System.Text;
using RnnLab.Tasks.Text;

namespace RnnLab.Tasks.Tests;

/// <summary>The streamed reader gives the same symbols as reading the whole text at once, across read-buffer
/// boundaries, and keeps two bytes a symbol.</summary>
public sealed class CorpusReaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rnnlab-corpus-").FullName;

    [Fact]
    public void A_streamed_file_encodes_as_the_whole_text_does_across_read_boundaries()
    {
        // Over two million characters so clusters (CR LF, combining accents, emoji with modifiers, CJK) straddle
        // the reader's one-million-character buffer.
        var piece = "Line one\r\ncafe\u0301 👍🏽 春眠不觉晓。\n";
        var text = new StringBuilder();
        var random = new Random(3);
        while (text.Length < 2_100_000)
        {
            text.Append(piece, 0, random.Next(1, piece.Length + 1));
        }

        var path = Path.Combine(_dir, "mixed.txt");
        File.WriteAllText(path, text.ToString(), new UTF8Encoding(false));

        var corpus = EncodedCorpus.Read(path);
        // Read back whole: cutting the pieces may have split a surrogate pair, which the writer replaced.
        var whole = File.ReadAllText(path);
        var expected = CharVocabulary.FromText(whole);

        Assert.Equal(expected.Symbols, corpus.Vocabulary.Symbols);
        var ids = expected.Encode(whole);
        Assert.Equal(ids.Length, corpus.Length);
        Assert.Equal(ids, corpus.Slice(0, corpus.Length).ToArray());
        Assert.Equal(1, corpus.BytesPerSymbol);
        Assert.Contains("\r\n", corpus.Vocabulary.Symbols);
        Assert.Contains("e\u0301", corpus.Vocabulary.Symbols);
    }

    [Fact]
    public void Tinyshakespeare_reads_to_its_65_symbols()
    {
        var corpus = EncodedCorpus.Read(TestData.Shakespeare);

        Assert.Equal(65, corpus.Vocabulary.Count);
        Assert.Equal(1_115_394, corpus.Length);
        Assert.Equal("First Citizen", corpus.Vocabulary.Decode(corpus.Slice(0, 13).ToArray()));
        Assert.Equal(1, corpus.BytesPerSymbol);
    }

    [Fact]
    public void Ids_widen_to_two_bytes_at_the_257th_distinct_symbol_and_keep_what_was_read()
    {
        // 300 distinct CJK characters, each after some ASCII, so the widening happens mid-text.
        var text = string.Concat(Enumerable.Range(0, 300).Select(i => $"ab{(char)(0x4E00 + i)}"));

        var corpus = EncodedCorpus.FromText(text);
        var expected = CharVocabulary.FromText(text);

        Assert.Equal(2, corpus.BytesPerSymbol);
        Assert.Equal(302, corpus.Vocabulary.Count);
        Assert.Equal(expected.Encode(text), corpus.Slice(0, corpus.Length).ToArray());
        Assert.Equal(text, corpus.Vocabulary.Decode(corpus.Slice(0, corpus.Length).ToArray()));
    }

    [Fact]
    public void Invalid_utf8_and_empty_files_are_named()
    {
        var bad = Path.Combine(_dir, "bad.txt");
        File.WriteAllBytes(bad, [0x61, 0x62, 0xff, 0x63]);
        var empty = Path.Combine(_dir, "empty.txt");
        File.WriteAllBytes(empty, []);

        Assert.Contains("not valid UTF-8", Assert.Throws<InvalidDataException>(() => EncodedCorpus.Read(bad)).Message);
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => EncodedCorpus.Read(empty)).Message);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
