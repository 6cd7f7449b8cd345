using System.Reflection;
using System.Reflection.Emit;

namespace MLNetBackprop.MLNet;

/// <summary>
/// The metadata tokens a method body refers to (the types, fields and methods its IL names), read from the IL
/// itself, so that what a method uses can be checked without running it.
/// </summary>
internal static class IlMemberReferences
{
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    /// <summary>Every field, method and type token in the body of <paramref name="method"/>, in IL order.</summary>
    public static IEnumerable<int> Tokens(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray() ?? [];
        for (var i = 0; i < il.Length;)
        {
            var op = OpCodesByValue[il[i] == 0xFE ? (short)(0xFE00 | il[i + 1]) : il[i]];
            i += op.Size;
            if (op.OperandType is OperandType.InlineType or OperandType.InlineTok or OperandType.InlineField or OperandType.InlineMethod)
                yield return BitConverter.ToInt32(il, i);
            i += OperandSize(op.OperandType, il, i);
        }
    }

    /// <summary>Resolves <paramref name="token"/> of <paramref name="method"/>'s body in the method's generic context.</summary>
    /// <exception cref="MissingMemberException">The member does not exist in the assembly loaded now.</exception>
    /// <exception cref="TypeLoadException">The type does not exist in the assembly loaded now.</exception>
    public static MemberInfo? Resolve(MethodBase method, int token)
    {
        var typeArguments = method.DeclaringType is { IsGenericType: true } t ? t.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        return method.Module.ResolveMember(token, typeArguments, methodArguments);
    }

    /// <summary>Every method and constructor declared by <paramref name="type"/> (not inherited ones).</summary>
    public static IEnumerable<MethodBase> DeclaredMethods(Type type)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        return type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all));
    }

    private static int OperandSize(OperandType type, byte[] il, int at) => type switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, at)),
        _ => 4,
    };
}
