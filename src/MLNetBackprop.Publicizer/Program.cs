using System.Globalization;
using MLNetBackprop.Publicizer;

// Usage: MLNetBackprop.Publicizer <expected-version> <output-folder> <assembly.dll>... [--search <folder>]... [--lock-timeout <seconds>]
// Exit codes: 0 done (written or up to date), 3 publicizing failed or the folder stayed locked, 2 bad usage. The build
// retries any other code (the host's 1 when this program's file is missing, a crash while another build rewrites it),
// never these.
var searchFolders = new List<string>();
var positional = new List<string>();
var lockTimeout = TimeSpan.FromMinutes(2);
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--search" && i + 1 < args.Length) searchFolders.Add(args[++i]);
    else if (args[i] == "--lock-timeout" && i + 1 < args.Length) lockTimeout = TimeSpan.FromSeconds(double.Parse(args[++i], CultureInfo.InvariantCulture));
    else positional.Add(args[i]);
}
if (positional.Count < 3)
{
    Console.Error.WriteLine(
        "usage: MLNetBackprop.Publicizer <expected-version> <output-folder> <assembly.dll>... [--search <folder>]... [--lock-timeout <seconds>]");
    return 2;
}

var expectedVersion = Version.Parse(positional[0]);
var outputFolder = positional[1];
var inputs = positional.Skip(2).ToList();
searchFolders.AddRange(inputs.Select(p => Path.GetDirectoryName(Path.GetFullPath(p))!));
OutputFolderLock folderLock;
try
{
    folderLock = OutputFolderLock.Acquire(outputFolder, lockTimeout);
}
catch (TimeoutException ex)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    return 3;
}
using (folderLock)
{
    foreach (var input in inputs)
    {
        try
        {
            var output = Path.Combine(outputFolder, Path.GetFileName(input));
            var written = PublicizedOutput.WriteIfOutOfDate(input, output, expectedVersion, searchFolders.Distinct());
            Console.WriteLine(written ? $"publicized {Path.GetFileName(input)}" : $"{Path.GetFileName(input)} is up to date");
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine($"error: publicizing {input} failed: {ex.Message}");
            return 3;
        }
    }
}
return 0;
