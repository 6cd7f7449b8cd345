namespace MLNetBackprop.Cli;

/// <summary>A problem the user can fix (bad option, missing file or column): printed as one line, exit code 2.</summary>
internal sealed class CliException(string message) : Exception(message);
