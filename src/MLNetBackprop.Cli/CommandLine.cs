using System.Globalization;

namespace MLNetBackprop.Cli;

/// <summary>Options of the form <c>--name value</c> (or a bare <c>--flag</c>), read once and checked for leftovers.</summary>
internal sealed class CommandLine
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _read = [];

    public CommandLine(IEnumerable<string> args)
    {
        string? pending = null;
        foreach (var arg in args)
        {
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (pending is not null)
                    _options[pending] = null;
                pending = arg[2..];
                if (pending.Length == 0 || _options.ContainsKey(pending))
                    throw new CliException($"option '{arg}' is empty or given twice");
            }
            else if (pending is not null)
            {
                _options[pending] = arg;
                pending = null;
            }
            else
                throw new CliException($"unexpected argument '{arg}' (options look like --name value)");
        }
        if (pending is not null)
            _options[pending] = null;
    }

    public string? Text(string name)
    {
        _read.Add(name);
        if (!_options.TryGetValue(name, out var value))
            return null;
        return value ?? throw new CliException($"option --{name} needs a value");
    }

    /// <summary>Whether the bare flag <c>--name</c> was given; a value after it is a mistake.</summary>
    public bool Flag(string name)
    {
        _read.Add(name);
        if (!_options.TryGetValue(name, out var value))
            return false;
        if (value is not null)
            throw new CliException($"option --{name} takes no value, not '{value}'");
        return true;
    }

    public string RequiredText(string name) => Text(name) ?? throw new CliException($"option --{name} is required");

    public int? Integer(string name) => Parse<int>(name, s => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null, "an integer");

    public float? Number(string name) => Parse<float>(name, s => float.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null, "a number");

    public int[]? IntegerList(string name)
    {
        var text = Text(name);
        if (text is null)
            return null;
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out values[i]))
                throw new CliException($"option --{name} must be a comma-separated list of integers (e.g. 128,64), not '{text}'");
        return values;
    }

    /// <summary>Fails on any option that no command asked for (usually a typo).</summary>
    public void RejectUnknown()
    {
        var unknown = _options.Keys.Where(k => !_read.Contains(k)).ToArray();
        if (unknown.Length > 0)
            throw new CliException($"unknown option --{unknown[0]}; run with --help for the list");
    }

    private T? Parse<T>(string name, Func<string, T?> parse, string expected) where T : struct
    {
        var text = Text(name);
        if (text is null)
            return default;
        return parse(text) ?? throw new CliException($"option --{name} must be {expected}, not '{text}'");
    }
}
