using System.CommandLine;

namespace MLNetBackprop.Cli;

/// <summary>The options <c>train</c> and <c>predict</c> share, and the parsers of the tool's own value formats.</summary>
internal static class CommonOptions
{
    public static Option<string> Data(string description) => new("--data") { Description = description, Required = true };

    public static Option<char?> Separator() => new("--separator")
    {
        Description = "column separator: one character, or 'tab' (default: detected from the header among , ; tab |)",
        CustomParser = result =>
        {
            var text = result.Tokens[0].Value;
            if (text is "\\t" or "tab")
                return '\t';
            if (text.Length == 1)
                return text[0];
            result.AddError($"--separator must be one character (or 'tab'), not '{text}'");
            return null;
        },
    };

    public static Option<bool> SkipBadRows() => new("--skip-bad-rows")
    {
        Description = "leave out rows with a wrong number of fields or a cell that is not a number in a numeric column, and count them (default: such a row is an error naming its line)",
    };

    /// <summary>A comma-separated list of column names.</summary>
    public static Option<string[]> Columns(string name, string description) => new(name)
    {
        Description = description,
        Arity = ArgumentArity.ExactlyOne,
        CustomParser = result => result.Tokens[0].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
    };
}
