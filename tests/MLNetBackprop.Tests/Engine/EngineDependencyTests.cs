using System.Reflection;
using MLNetBackprop.Engine.Model;
using MLNetBackprop.MLNet;

namespace MLNetBackprop.Tests.Engine;

/// <summary>
/// The engine's layering, read from the compiled library: every type each engine type names in its signatures,
/// fields and method bodies. Kernels are a leaf; the engine uses no ML.NET type and nothing of the bridge.
/// </summary>
public class EngineDependencyTests
{
    private static readonly Assembly Library = typeof(Network).Assembly;

    private static IEnumerable<Type> TypesIn(string namespacePrefix) => Library.GetTypes()
        .Where(t => t.Namespace is { } ns && (ns == namespacePrefix || ns.StartsWith(namespacePrefix + ".", StringComparison.Ordinal)));

    [Fact]
    public void Kernels_use_nothing_else_of_the_library()
    {
        var offences = TypesIn("MLNetBackprop.Engine.Kernels")
            .SelectMany(t => ReferencedTypes(t).Select(r => (From: t, To: r)))
            .Where(p => p.To.Assembly == Library && !(p.To.Namespace ?? "").StartsWith("MLNetBackprop.Engine.Kernels", StringComparison.Ordinal))
            .Select(p => $"{p.From.FullName} -> {p.To.FullName}")
            .Distinct()
            .ToList();
        Assert.True(offences.Count == 0, string.Join(Environment.NewLine, offences));
    }

    [Fact]
    public void The_engine_uses_no_mlnet_type_and_nothing_of_the_bridge()
    {
        var offences = TypesIn("MLNetBackprop.Engine")
            .SelectMany(t => ReferencedTypes(t).Select(r => (From: t, To: r)))
            .Where(p => IsMlNet(p.To) || IsBridge(p.To))
            .Select(p => $"{p.From.FullName} -> {p.To.FullName}")
            .Distinct()
            .ToList();
        Assert.True(offences.Count == 0, string.Join(Environment.NewLine, offences));
    }

    [Fact]
    public void The_dependency_reader_sees_a_call_inside_a_method_body()
    {
        // Guards the IL scan itself: Network.Predict's body calls DenseLayer.Forward, which no signature names.
        var referenced = ReferencedTypes(typeof(Network)).Select(t => t.Name).ToHashSet();
        Assert.Contains("DenseLayer", referenced);
    }

    private static bool IsMlNet(Type t) => (t.Namespace ?? "").StartsWith("Microsoft.ML", StringComparison.Ordinal);

    // The bridge: the public namespace and MLNetBackprop.MLNet, except the one exception the engine throws.
    private static bool IsBridge(Type t) => t.Assembly == Library && t != typeof(TrainingDivergedException)
        && !(t.Namespace ?? "").StartsWith("MLNetBackprop.Engine", StringComparison.Ordinal)
        && (t.Namespace ?? "").StartsWith("MLNetBackprop", StringComparison.Ordinal);

    private static HashSet<Type> ReferencedTypes(Type type)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var found = new HashSet<Type>();
        void Add(Type? t)
        {
            if (t is null || !found.Add(t))
                return;
            if (t.HasElementType)
                Add(t.GetElementType());
            if (t.IsGenericType && !t.IsGenericTypeDefinition)
                foreach (var argument in t.GetGenericArguments())
                    Add(argument);
        }
        Add(type.BaseType);
        foreach (var i in type.GetInterfaces())
            Add(i);
        foreach (var field in type.GetFields(all))
            Add(field.FieldType);
        foreach (var method in IlMemberReferences.DeclaredMethods(type))
        {
            if (method is MethodInfo info)
                Add(info.ReturnType);
            foreach (var parameter in method.GetParameters())
                Add(parameter.ParameterType);
            foreach (var t in TypesInBody(method))
                Add(t);
        }
        return found;
    }

    // Every type a method body names: its locals and the types of the members its IL refers to.
    private static IEnumerable<Type> TypesInBody(MethodBase method)
    {
        foreach (var local in method.GetMethodBody()?.LocalVariables ?? [])
            yield return local.LocalType;
        foreach (var token in IlMemberReferences.Tokens(method))
        {
            var member = IlMemberReferences.Resolve(method, token);
            if (member is Type t)
                yield return t;
            else if (member?.DeclaringType is { } declaring)
                yield return declaring;
            if (member is FieldInfo f)
                yield return f.FieldType;
        }
    }
}
