using OffshoreLedger.Node.Hosting;

var (app, devnet) = await LedgerNodeApp.BuildAsync(args);
await using (devnet)
{
    await app.StartAsync();
    devnet?.WriteWelcome(Console.Out, app.Urls);
    await app.WaitForShutdownAsync();
}
