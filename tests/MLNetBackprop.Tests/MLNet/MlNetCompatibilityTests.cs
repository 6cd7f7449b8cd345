using System.Reflection;
using Microsoft.ML;
using MLNetBackprop.MLNet;

namespace MLNetBackprop.Tests.MLNet;

/// <summary>
/// The run-time check of the loaded ML.NET: it reads every member the bridge's code uses, finds them all in the
/// ML.NET this process runs, and names the supported versions when one is missing.
/// </summary>
public class MlNetCompatibilityTests
{
    [Fact]
    public void The_loaded_mlnet_has_every_member_the_bridge_uses()
    {
        var resolved = new List<MemberInfo>();
        var problem = MlNetCompatibility.FindProblem(MlNetCompatibility.BridgeMethods(), (method, token) =>
        {
            var member = IlMemberReferences.Resolve(method, token);
            if (member is not null)
                resolved.Add(member);
            return member;
        });

        Assert.Null(problem);
        // The scan reaches the internals the bridge depends on, in method bodies as well as constructors.
        Assert.Contains(resolved, m => m.Name == "GetEnvironment" && m.DeclaringType?.Name == "CatalogUtils");
        Assert.Contains(resolved, m => m.Name == "CheckAtModel" && m.DeclaringType?.Name == "ModelLoadContext");
        Assert.Contains(resolved, m => m is ConstructorInfo && m.DeclaringType?.Name.StartsWith("BinaryPredictionTransformer", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void A_member_missing_from_the_loaded_mlnet_is_reported_with_the_supported_and_loaded_versions()
    {
        var problem = MlNetCompatibility.FindProblem(MlNetCompatibility.BridgeMethods(), (method, token) =>
        {
            var member = IlMemberReferences.Resolve(method, token);
            return member?.Name == "CheckAtModel"
                ? throw new MissingMethodException("Method not found: 'Void Microsoft.ML.ModelLoadContext.CheckAtModel(VersionInfo)'.")
                : member;
        });

        Assert.NotNull(problem);
        Assert.Contains("CheckAtModel", problem);
        Assert.Contains("[5.0.1, 7.0.0)", problem);
        Assert.Contains("5.0.1, 6.0.0", problem);
        Assert.Contains($"Microsoft.ML {MlNetCompatibility.LoadedVersion}", problem);
        Assert.Contains("used by", problem);
    }

    [Fact]
    public void The_loaded_version_is_the_one_this_test_project_references()
        => Assert.Equal("5.0.1", MlNetCompatibility.LoadedVersion);

    [Fact]
    public void Creating_a_trainer_on_a_supported_mlnet_passes_the_check()
        => Assert.NotNull(new MLContext(1).BinaryClassification.Trainers.Mlp());
}
