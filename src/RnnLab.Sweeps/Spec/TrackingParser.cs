using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace RnnLab.Sweeps.Spec;

/// <summary>
/// A YAML parser that remembers where its last event ended, because YamlDotNet throws some errors (not
/// <see cref="YamlException"/>) that carry no position of their own, and that stops at
/// <see cref="SpecLimits.MaxDepth"/> levels of nesting: the document loader recurses once per level, so an
/// unchecked depth (50,000 '[') would overflow the stack and take the whole process down.
/// </summary>
internal sealed class TrackingParser(TextReader input) : IParser
{
    private readonly Parser _inner = new(input);
    private int _depth;

    public Mark LastGood { get; private set; } = Mark.Empty;

    public ParsingEvent? Current => _inner.Current;

    public bool MoveNext()
    {
        if (_inner.Current is { } current)
        {
            LastGood = current.End;
        }

        if (!_inner.MoveNext())
        {
            return false;
        }

        switch (_inner.Current)
        {
            case MappingStart or SequenceStart when ++_depth > SpecLimits.MaxDepth:
                throw new SpecTooDeepException(_inner.Current.Start);
            case MappingEnd or SequenceEnd:
                _depth--;
                break;
        }

        return true;
    }
}

/// <summary>The spec nests deeper than <see cref="SpecLimits.MaxDepth"/>; <see cref="At"/> is where it went too deep.</summary>
internal sealed class SpecTooDeepException(Mark at) : Exception
{
    public Mark At { get; } = at;
}
