using System.Reflection;
using Microsoft.ML;

namespace MLNetBackprop.MLNet;

/// <summary>
/// Checks, once per process, that the Microsoft.ML loaded now has every internal member the bridge uses. The
/// library is compiled against the oldest supported ML.NET and runs on any version in its NuGet range; a future
/// ML.NET that drops or changes one of those members gets a clear error naming the supported versions here,
/// instead of a <see cref="MissingMethodException"/> from deep inside a pipeline.
/// </summary>
internal static class MlNetCompatibility
{
    private static readonly Lazy<string?> Problem = new(FindProblem);

    /// <summary>The Microsoft.ML versions the package accepts, as the NuGet range it declares.</summary>
    public static string SupportedRange => Metadata("SupportedMicrosoftMLVersions");

    /// <summary>The Microsoft.ML versions CI runs the package against.</summary>
    public static string TestedVersions => Metadata("TestedMicrosoftMLVersions");

    /// <summary>The version of the Microsoft.ML assembly loaded in this process.</summary>
    public static string LoadedVersion
    {
        get
        {
            var assembly = typeof(MLContext).Assembly;
            var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
            return informational?.Split('+')[0] ?? assembly.GetName().Version?.ToString() ?? "unknown";
        }
    }

    /// <summary>Throws when the loaded Microsoft.ML lacks a member the bridge uses; otherwise does nothing.</summary>
    /// <exception cref="InvalidOperationException">The loaded Microsoft.ML is not one this library can run on.</exception>
    public static void EnsureSupported()
    {
        if (Problem.Value is { } problem)
            throw new InvalidOperationException(problem);
    }

    /// <summary>
    /// The first member of <paramref name="methods"/>' bodies that <paramref name="resolve"/> cannot find, as the
    /// user's error message; null when all resolve.
    /// </summary>
    public static string? FindProblem(IEnumerable<MethodBase> methods, Func<MethodBase, int, MemberInfo?> resolve)
    {
        foreach (var method in methods)
        {
            foreach (var token in IlMemberReferences.Tokens(method))
            {
                try
                {
                    resolve(method, token);
                }
                catch (Exception e) when (e is MissingMemberException or TypeLoadException or BadImageFormatException or ArgumentException)
                {
                    return Message($"{e.Message} (used by {method.DeclaringType?.Name}.{method.Name})");
                }
            }
        }
        return null;
    }

    /// <summary>The error message for a missing piece of ML.NET described by <paramref name="missing"/>.</summary>
    public static string Message(string missing)
        => $"MLNetBackprop runs on Microsoft.ML {SupportedRange} (tested with {TestedVersions}), but this process loaded " +
           $"Microsoft.ML {LoadedVersion}, which lacks what the library uses: {missing}. Reference a Microsoft.ML " +
           "version in that range, or a release of MLNetBackprop that supports this one.";

    /// <summary>
    /// Every method of the bridge: the library's types outside the engine (which never touches ML.NET, as a test
    /// proves).
    /// </summary>
    /// <exception cref="ReflectionTypeLoadException">A type of the bridge cannot load against this ML.NET.</exception>
    public static IEnumerable<MethodBase> BridgeMethods() => typeof(MlNetCompatibility).Assembly.GetTypes()
        .Where(t => !(t.Namespace ?? "").StartsWith("MLNetBackprop.Engine", StringComparison.Ordinal))
        .SelectMany(IlMemberReferences.DeclaredMethods);

    private static string? FindProblem()
    {
        try
        {
            return FindProblem(BridgeMethods().ToList(), IlMemberReferences.Resolve);
        }
        catch (ReflectionTypeLoadException e)
        {
            return Message(e.LoaderExceptions.FirstOrDefault(x => x is not null)?.Message ?? e.Message);
        }
    }

    private static string Metadata(string key) => typeof(MlNetCompatibility).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value ?? "(unknown)";
}
