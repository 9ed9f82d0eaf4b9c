using System.Diagnostics.CodeAnalysis;

namespace OffshoreLedger.Node.Devnet;

/// <summary>The command line of the development node.</summary>
/// <param name="ExitAfterDeploy">Deploy, print the table and exit instead of serving the chain (CI smoke runs).</param>
public sealed record DevnetArguments(bool ExitAfterDeploy)
{
    public const string Usage = "Usage: dotnet run --project node/OffshoreLedger.Node [-- --exit-after-deploy]";

    public static bool TryParse(string[] args, [NotNullWhen(true)] out DevnetArguments? arguments, [NotNullWhen(false)] out string? problem)
    {
        var exitAfterDeploy = false;
        foreach (var arg in args)
        {
            if (arg == "--exit-after-deploy")
            {
                exitAfterDeploy = true;
                continue;
            }
            (arguments, problem) = (null, $"Unknown argument '{arg}'.");
            return false;
        }
        (arguments, problem) = (new DevnetArguments(exitAfterDeploy), null);
        return true;
    }
}
