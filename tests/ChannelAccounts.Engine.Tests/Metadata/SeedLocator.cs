namespace ChannelAccounts.Engine.Tests.Metadata;

/// <summary>Finds the shared seed documents: ../shared/seed beside the folder holding ChannelAccounts.sln.</summary>
internal static class SeedLocator
{
    private const string SolutionFile = "ChannelAccounts.sln";

    public static string SeedPath(string fileName)
    {
        var repoRoot = FindRepoRoot();
        var path = Path.GetFullPath(Path.Combine(repoRoot, "..", "shared", "seed", fileName));
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"The seed document '{fileName}' was not found at '{path}'. " +
                $"The tests expect ../shared/seed/ beside the repository folder ('{repoRoot}').",
                path);
        }

        return path;
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, SolutionFile)))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException(
            $"No folder containing {SolutionFile} was found above '{AppContext.BaseDirectory}'.");
    }
}
