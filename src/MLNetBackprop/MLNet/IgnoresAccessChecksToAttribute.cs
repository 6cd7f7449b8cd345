// The .NET runtime honours this attribute (it has no public definition): it lets this assembly use the
// internal ML.NET members that it was compiled against through the publicized references.
using System.Runtime.CompilerServices;

[assembly: IgnoresAccessChecksTo("Microsoft.ML.Core")]
[assembly: IgnoresAccessChecksTo("Microsoft.ML.Data")]
[assembly: IgnoresAccessChecksTo("Microsoft.ML.DataView")]

namespace System.Runtime.CompilerServices;

/// <summary>Grants this assembly access to the non-public members of the named assembly at run time.</summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
internal sealed class IgnoresAccessChecksToAttribute(string assemblyName) : Attribute
{
    /// <summary>The simple name of the assembly whose access checks are skipped.</summary>
    public string AssemblyName { get; } = assemblyName;
}
