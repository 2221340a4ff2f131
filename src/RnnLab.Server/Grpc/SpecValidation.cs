using RnnLab.Sweeps.Spec;

namespace RnnLab.Server.Grpc;

/// <summary>Parses submitted spec text; <see cref="SweepSpec.Parse"/> turns any malformed text into errors, never an exception.</summary>
internal static class SpecValidation
{
    public static SpecParseResult Parse(string text) => SweepSpec.Parse(text);
}
