using OffshoreLedger.Node.Devnet;

if (!DevnetArguments.TryParse(args, out var arguments, out var problem))
{
    Console.Error.WriteLine(problem);
    Console.Error.WriteLine(DevnetArguments.Usage);
    return 2;
}

using var shutdown = new ShutdownSignal();
return await LocalDevnet.RunAsync(arguments, Console.Out, shutdown.Token);
