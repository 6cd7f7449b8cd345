using Mono.Cecil;

namespace MLNetBackprop.Publicizer;

/// <summary>
/// Rewrites an assembly so that internal types and members become public and <c>private protected</c> /
/// <c>protected internal</c> members become <c>protected</c>, keeping the assembly identity. The copy is only
/// ever used as a compile-time reference; the real assembly loads at run time, where the library's
/// <c>IgnoresAccessChecksTo</c> attributes grant the access.
/// </summary>
public static class AssemblyPublicizer
{
    /// <summary>Publicizes <paramref name="inputPath"/> into <paramref name="outputPath"/>, resolving its references in <paramref name="searchFolders"/>.</summary>
    /// <exception cref="InvalidOperationException">The assembly's file version is not the pinned one.</exception>
    public static void Publicize(string inputPath, string outputPath, Version expectedVersion, IEnumerable<string> searchFolders)
    {
        using var resolver = new DefaultAssemblyResolver();
        foreach (var folder in searchFolders)
            resolver.AddSearchDirectory(folder);
        // Read fully into memory so the output may replace a file that the input was read from.
        using var assembly = AssemblyDefinition.ReadAssembly(inputPath,
            new ReaderParameters { ReadSymbols = false, AssemblyResolver = resolver, InMemory = true });
        CheckPinnedVersion(assembly, expectedVersion);
        foreach (var type in assembly.MainModule.GetTypes())
            PublicizeType(type);
        // Deterministic MVID so identical inputs give identical bytes (incremental, reproducible builds).
        assembly.Write(outputPath, new WriterParameters { DeterministicMvid = true });
    }

    private static void CheckPinnedVersion(AssemblyDefinition assembly, Version expected)
    {
        var fileVersion = assembly.CustomAttributes
            .FirstOrDefault(a => a.AttributeType.FullName == "System.Reflection.AssemblyInformationalVersionAttribute")
            ?.ConstructorArguments[0].Value as string;
        var plain = fileVersion?.Split('+')[0];
        if (plain is null || !Version.TryParse(plain, out var actual) || actual != expected)
            throw new InvalidOperationException(
                $"{assembly.Name.Name} has version '{fileVersion}', but the ML.NET bridge is built and tested against " +
                $"{expected}. Pin Microsoft.ML to {expected} or port the bridge (src/MLNetBackprop/MLNet) to the new version.");
    }

    private static void PublicizeType(TypeDefinition type)
    {
        if (type.IsNested)
        {
            if (type.IsNestedAssembly || type.IsNestedFamilyAndAssembly || type.IsNestedFamilyOrAssembly)
                type.Attributes = (type.Attributes & ~TypeAttributes.VisibilityMask) | TypeAttributes.NestedPublic;
        }
        else if (type.IsNotPublic)
        {
            type.Attributes = (type.Attributes & ~TypeAttributes.VisibilityMask) | TypeAttributes.Public;
        }

        foreach (var method in type.Methods)
            method.Attributes = (method.Attributes & ~MethodAttributes.MemberAccessMask) | Widen(method.Attributes & MethodAttributes.MemberAccessMask);
        foreach (var field in type.Fields)
            field.Attributes = (field.Attributes & ~FieldAttributes.FieldAccessMask) | WidenField(field.Attributes & FieldAttributes.FieldAccessMask);
    }

    // Internal becomes public; the protected kinds become plain protected, so overrides compile as
    // 'protected override' and match what the runtime sees from another assembly.
    private static MethodAttributes Widen(MethodAttributes access) => access switch
    {
        MethodAttributes.Assembly => MethodAttributes.Public,
        MethodAttributes.FamANDAssem => MethodAttributes.Family,
        MethodAttributes.FamORAssem => MethodAttributes.Family,
        _ => access,
    };

    private static FieldAttributes WidenField(FieldAttributes access) => access switch
    {
        FieldAttributes.Assembly => FieldAttributes.Public,
        FieldAttributes.FamANDAssem => FieldAttributes.Family,
        FieldAttributes.FamORAssem => FieldAttributes.Family,
        _ => access,
    };
}
