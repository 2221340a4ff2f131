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
        Assert.Equal(ids.Select(i => (ushort)i).ToArray(), corpus.Slice(0, corpus.Length).ToArray());
        Assert.Contains("\r\n", corpus.Vocabulary.Symbols);
        Assert.Contains("e\u0301", corpus.Vocabulary.Symbols);
    }

    [Fact]
    public void Tinyshakespeare_reads_to_its_65_symbols()
    {
        var corpus = EncodedCorpus.Read(TestData.Shakespeare);

        Assert.Equal(65, corpus.Vocabulary.Count);
        Assert.Equal(1_115_394, corpus.Length);
        Assert.Equal("First Citizen", corpus.Vocabulary.Decode(corpus.Slice(0, 13).ToArray().Select(i => (long)i)));
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
