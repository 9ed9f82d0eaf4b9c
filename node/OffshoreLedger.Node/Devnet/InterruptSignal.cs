using System.Runtime.InteropServices;

namespace OffshoreLedger.Node.Devnet;

/// <summary>
/// Ctrl-C for a devnet started with SIGINT ignored. POSIX shells start a script's background jobs with SIGINT and SIGQUIT
/// ignored (a CI runner may start the tests that way), children inherit it, and .NET leaves an inherited ignore in place, a
/// <see cref="PosixSignalRegistration"/> for SIGINT included: such a devnet never saw Ctrl-C and ran on. The devnet is an
/// interactive command whose documented stop is Ctrl-C, so it puts SIGINT back to the default before registering for it.
/// </summary>
public static class InterruptSignal
{
    private const int SigInt = 2;

    /// <summary>SIGINT back to its default disposition; call before any signal registration.</summary>
    public static void RestoreDefault()
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            _ = Signal(SigInt, 0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
        }
    }

    [DllImport("libc", EntryPoint = "signal")]
    private static extern nint Signal(int signal, nint handler);
}
