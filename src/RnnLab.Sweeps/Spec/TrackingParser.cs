using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace RnnLab.Sweeps.Spec;

/// <summary>
/// A YAML parser that remembers where its last event ended, because YamlDotNet throws some errors (not
/// <see cref="YamlException"/>) that carry no position of their own.
/// </summary>
internal sealed class TrackingParser(TextReader input) : IParser
{
    private readonly Parser _inner = new(input);

    public Mark LastGood { get; private set; } = Mark.Empty;

    public ParsingEvent? Current => _inner.Current;

    public bool MoveNext()
    {
        if (_inner.Current is { } current)
        {
            LastGood = current.End;
        }

        return _inner.MoveNext();
    }
}
