namespace MLNetBackprop.Cli;

/// <summary>How the tool reports the errors a user can act on: one line and an exit code, no stack trace.</summary>
internal static class CliError
{
    /// <summary>
    /// The one-line report ("error: ...") and exit code of <paramref name="error"/> (2 for the user's mistakes, 1 for
    /// library errors, which already say what is wrong and how to fix it), or null for a bug, which keeps its stack trace.
    /// </summary>
    public static (string Message, int ExitCode)? Describe(Exception error) => error switch
    {
        CliException => ($"error: {error.Message}", 2),
        ArgumentException or InvalidOperationException or IOException or FormatException or TrainingDivergedException
            or UnauthorizedAccessException => ($"error: {error.Message}", 1),
        _ => null,
    };
}
