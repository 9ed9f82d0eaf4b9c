namespace OffshoreLedger.Node.Devnet;

/// <summary>The <c>devnet</c> command's options: <c>--data DIR</c>, <c>--reset</c>, <c>--chain-port N</c>, <c>--base-port N</c>.</summary>
public static class DevnetArguments
{
    public const string Usage =
        "devnet [--data DIR (default .devnet)] [--reset] [--chain-port N (default 8545; 0: the system's choice)] [--base-port N (default " +
        "50051; 0: each node the system's choice)]";

    /// <summary>Parses the options; throws <see cref="ArgumentException"/> naming the option at fault.</summary>
    public static LocalConsortiumOptions Parse(IReadOnlyList<string> args)
    {
        var options = new LocalConsortiumOptions(".devnet", Reset: false, ChainPort: 8545, BasePort: 50051);
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--reset")
            {
                options = options with { Reset = true };
                continue;
            }
            var value = i + 1 < args.Count ? args[++i] : throw new ArgumentException($"'{args[i]}' needs a value. Usage: {Usage}");
            options = args[i - 1] switch
            {
                "--data" => options with { DataDirectory = value },
                "--chain-port" => options with { ChainPort = Port(args[i - 1], value) },
                "--base-port" => options with { BasePort = Port(args[i - 1], value) },
                var unknown => throw new ArgumentException($"Unknown option '{unknown}'. Usage: {Usage}"),
            };
        }
        return options;
    }

    private static int Port(string option, string value) =>
        int.TryParse(value, out var port) && port is >= 0 and <= 65535
            ? port : throw new ArgumentException($"{option} must be a port number, got '{value}'.");
}
