using MLNetBackprop.Publicizer;

// Usage: MLNetBackprop.Publicizer <expected-version> <output-folder> <assembly.dll>... [--search <folder>]...
var searchFolders = new List<string>();
var positional = new List<string>();
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--search" && i + 1 < args.Length) searchFolders.Add(args[++i]);
    else positional.Add(args[i]);
}
if (positional.Count < 3)
{
    Console.Error.WriteLine("usage: MLNetBackprop.Publicizer <expected-version> <output-folder> <assembly.dll>... [--search <folder>]...");
    return 2;
}

var expectedVersion = Version.Parse(positional[0]);
var outputFolder = positional[1];
var inputs = positional.Skip(2).ToList();
searchFolders.AddRange(inputs.Select(p => Path.GetDirectoryName(Path.GetFullPath(p))!));
Directory.CreateDirectory(outputFolder);
foreach (var input in inputs)
{
    try
    {
        var output = Path.Combine(outputFolder, Path.GetFileName(input));
        AssemblyPublicizer.Publicize(input, output, expectedVersion, searchFolders.Distinct());
        Console.WriteLine($"publicized {Path.GetFileName(input)}");
    }
    catch (Exception ex)
    {
        Console.Error.WriteLine($"error: publicizing {input} failed: {ex.Message}");
        return 1;
    }
}
return 0;
