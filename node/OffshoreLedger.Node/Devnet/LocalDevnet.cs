using OffshoreLedger.Contracts.Devnet;

namespace OffshoreLedger.Node.Devnet;

/// <summary>
/// The node's mode when no chain is configured: a local anvil chain with the consortium deployed and the
/// development members enrolled, served until shutdown so people can explore it.
/// </summary>
public static class LocalDevnet
{
    /// <summary>Exit code for an interruption before the deployment finished (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = 130;

    public static async Task<int> RunAsync(DevnetArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        try
        {
            output.WriteLine("Starting a local anvil chain and deploying the OffshoreLedger consortium...");
            await using var chain = await AnvilChain.StartAsync(cancellationToken: cancellationToken);
            var consortium = await DevConsortium.DeployAsync(chain, cancellationToken: cancellationToken);
            DevnetTable.Write(output, chain, consortium);
            if (arguments.ExitAfterDeploy) return 0;

            output.WriteLine("The chain keeps running; press Ctrl-C to stop it.");
            await WaitForShutdownAsync(cancellationToken);
            output.WriteLine("Stopping anvil.");
            return 0;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            output.WriteLine("Interrupted before the deployment finished; anvil stopped.");
            return Interrupted;
        }
    }

    private static async Task WaitForShutdownAsync(CancellationToken cancellationToken)
    {
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var registration = cancellationToken.Register(() => stopped.TrySetResult());
        await stopped.Task;
    }
}
