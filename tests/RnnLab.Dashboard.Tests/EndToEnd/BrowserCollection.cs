namespace RnnLab.Dashboard.Tests.EndToEnd;

/// <summary>The browser tests run one after another: each starts a server and Chromium, and the machine has few cores.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection
{
    public const string Name = "browser";
}
