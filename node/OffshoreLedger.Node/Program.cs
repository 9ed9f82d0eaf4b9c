using OffshoreLedger.Node.Devnet;
using OffshoreLedger.Node.Hosting;
using OffshoreLedger.Node.Storage;

// RocksDB's large, short-lived native blocks go back to the system when freed (see NativeHeap).
NativeHeap.ReturnFreedMemory();

if (NodeCommandLine.AsksForHelp(args))
{
    Console.Out.WriteLine(NodeCommandLine.Help);
    return 0;
}

if (args is ["devnet", .. var devnetArgs])
{
    using var stop = new CancellationTokenSource();
    // Ctrl-C and SIGTERM stop the devnet gracefully; SIGINT first put back to its default, so a devnet started with it
    // ignored (from a script's background job, as a CI runner may start the tests) still stops on Ctrl-C.
    InterruptSignal.RestoreDefault();
    using var sigint = System.Runtime.InteropServices.PosixSignalRegistration.Create(
        System.Runtime.InteropServices.PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
    using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(
        System.Runtime.InteropServices.PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
    LocalConsortiumOptions options;
    try
    {
        options = DevnetArguments.Parse(devnetArgs);
    }
    catch (ArgumentException ex)
    {
        Console.Error.WriteLine(ex.Message);
        return 2;
    }
    return await LocalConsortium.RunAsync(options, Console.Out, stop.Token);
}

if (args is ["healthcheck", .. var probe])
{
    return await HealthProbe.RunAsync(probe, Console.Out, Console.Error);
}

if (args is ["consortium-init", "--rpc", var rpcUrl, "--accounts", var accountsFile, "--out", var outDirectory])
{
    return await ConsortiumInit.RunAsync(rpcUrl, accountsFile, outDirectory, Console.Out, CancellationToken.None);
}
if (args is ["consortium-init", ..])
{
    Console.Error.WriteLine("Usage: " + ConsortiumInit.Usage);
    return 2;
}

WebApplication app;
DevnetBootstrap? devnet;
try
{
    (app, devnet) = await LedgerNodeApp.BuildAsync(args);
}
catch (NodeStartupException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}
// The node (and its store) is disposed before the devnet deletes the data directory it made.
await using (devnet)
await using (app)
{
    try
    {
        await app.StartAsync();
    }
    catch (NodeStartupException ex)
    {
        Console.Error.WriteLine(ex.Message);
        return 2;
    }
    devnet?.WriteWelcome(Console.Out, app.Urls);
    await app.WaitForShutdownAsync();
}
return 0;
