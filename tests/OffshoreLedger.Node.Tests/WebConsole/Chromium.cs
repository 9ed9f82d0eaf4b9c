using Microsoft.Playwright;

namespace OffshoreLedger.Node.Tests.WebConsole;

/// <summary>
/// Headless Debian chromium (installed by scripts/install-chromium.sh) driven by Playwright, started once and shared: each
/// <see cref="ConsoleBrowser"/> is a browser session of its own in it. Playwright never downloads a browser here: it is
/// pointed at the installed executable.
/// </summary>
public sealed class Chromium : IAsyncDisposable
{
    /// <summary>The chromium to drive; OFFSHORELEDGER_CHROMIUM overrides the Debian package's path.</summary>
    public static string Executable => Environment.GetEnvironmentVariable("OFFSHORELEDGER_CHROMIUM") is { Length: > 0 } path
        ? path : "/usr/bin/chromium";

    private static readonly string[] Flags =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private Chromium(IPlaywright playwright, IBrowser browser) => (_playwright, _browser) = (playwright, browser);

    public static async Task<Chromium> StartAsync()
    {
        Assert.True(File.Exists(Executable), $"{Executable} is missing: run scripts/install-chromium.sh (installs Debian's chromium).");
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(
                new BrowserTypeLaunchOptions { ExecutablePath = Executable, Headless = true, Args = Flags, Timeout = 60_000 });
            return new Chromium(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A new browser session: a context of its own (its own sessionStorage, localStorage, IndexedDB and cookies, nothing
    /// shared with other sessions), trusting the test nodes' certificates, which come from a test CA.
    /// </summary>
    public async Task<ConsoleBrowser> NewSessionAsync()
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            IgnoreHTTPSErrors = true,
            ViewportSize = new ViewportSize { Width = 1100, Height = 900 },
        });
        context.SetDefaultTimeout(60_000);
        return new ConsoleBrowser(context);
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
