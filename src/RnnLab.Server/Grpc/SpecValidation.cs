using RnnLab.Sweeps.Spec;

namespace RnnLab.Server.Grpc;

/// <summary>Parses submitted spec text so that no input, however broken, escapes as anything but a list of errors.</summary>
internal static class SpecValidation
{
    public static SpecParseResult Parse(string text)
    {
        try
        {
            return SweepSpec.Parse(text);
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this (instead of a YamlException) on some malformed plain scalars.
            return new SpecParseResult(null, [new SpecError("", "not valid YAML")]);
        }
    }
}
