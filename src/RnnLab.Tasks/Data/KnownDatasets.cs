namespace RnnLab.Tasks.Data;

/// <summary>The datasets built-in task names refer to, pinned to a commit and a SHA-256.</summary>
public static class KnownDatasets
{
    public static DatasetInfo JsbChorales { get; } = new(
        "jsb-chorales",
        "jsb-chorales-quarter.json",
        "2db9329f1881a1d3f49703ec556bf1d6f84b4f6c1d702c156536e93cf31e1c91",
        new Uri("https://raw.githubusercontent.com/czhuang/JSB-Chorales-dataset/9a7f733ddb4ed91f48da64ac7f0f621c34aadd4d/jsb-chorales-quarter.json"));

    public static DatasetInfo TinyShakespeare { get; } = new(
        "tinyshakespeare",
        "tinyshakespeare.txt",
        "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed",
        new Uri("https://raw.githubusercontent.com/karpathy/char-rnn/6f9487a6fe5b420b7ca9afb0d7c078e37c1d1b4e/data/tinyshakespeare/input.txt"));
}
