using System.Reflection;
using Microsoft.Playwright;

namespace OffshoreLedger.Node.Tests.WebConsole;

/// <summary>
/// Headless Debian chromium (installed by scripts/install-chromium.sh) driven by Playwright, with a fresh profile per
/// instance. Playwright never downloads a browser here: it is pointed at the installed executable.
/// </summary>
public sealed class ConsoleBrowser : IAsyncDisposable
{
    /// <summary>The chromium to drive; OFFSHORELEDGER_CHROMIUM overrides the Debian package's path.</summary>
    public static string Executable => Environment.GetEnvironmentVariable("OFFSHORELEDGER_CHROMIUM") is { Length: > 0 } path
        ? path : "/usr/bin/chromium";

    /// <summary>Where the test run writes a screenshot of each page (under the test output; not committed).</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "console-screenshots");

    private static readonly string[] Flags =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    private readonly IPlaywright _playwright;
    private readonly string _profile;

    private ConsoleBrowser(IPlaywright playwright, IBrowserContext context, string profile) =>
        (_playwright, Context, _profile) = (playwright, context, profile);

    /// <summary>One browser session (its own profile, hence its own sessionStorage).</summary>
    public IBrowserContext Context { get; }

    public static async Task<ConsoleBrowser> StartAsync()
    {
        Assert.True(File.Exists(Executable), $"{Executable} is missing: run scripts/install-chromium.sh (installs Debian's chromium).");
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        var playwright = await Playwright.CreateAsync();
        var profile = Directory.CreateTempSubdirectory("offshore-console-chromium-").FullName;
        // A persistent context is how Playwright takes a fresh --user-data-dir; the test nodes' certificates come from a test CA.
        var context = await playwright.Chromium.LaunchPersistentContextAsync(profile, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = Executable,
            Headless = true,
            Args = Flags,
            IgnoreHTTPSErrors = true,
            ViewportSize = new ViewportSize { Width = 1100, Height = 900 },
            Timeout = 60_000,
        });
        context.SetDefaultTimeout(60_000);
        return new ConsoleBrowser(playwright, context, profile);
    }

    /// <summary>Opens the console of <paramref name="node"/> and enters <paramref name="apiKey"/> when it asks.</summary>
    public async Task<IPage> OpenAsync(RunningNode node, string apiKey, string page = "collateral")
    {
        var tab = Context.Pages.FirstOrDefault() ?? await Context.NewPageAsync();
        await tab.GotoAsync($"{node.Url.TrimEnd('/')}/console/#{page}");
        await tab.GetByLabel("API key").FillAsync(apiKey);
        await tab.GetByRole(AriaRole.Button, new() { Name = "Use this key" }).ClickAsync();
        await Assertions.Expect(tab.Locator($"#page-{page}")).ToBeVisibleAsync();
        return tab;
    }

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, name + ".png"), FullPage = true });
    }

    /// <summary>
    /// axe-core (npm, pinned in WebConsole/browser/package-lock.json) run in the page: its serious and critical violations.
    /// </summary>
    public static async Task<IReadOnlyList<string>> SeriousAccessibilityViolationsAsync(IPage page)
    {
        var axe = typeof(ConsoleBrowser).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "OffshoreLedger.AxeCore").Value!;
        Assert.True(File.Exists(axe), $"{axe} is missing: the build runs npm ci in tests/OffshoreLedger.Node.Tests/WebConsole/browser.");
        // Evaluated through the DevTools protocol, not as a <script> tag, which the console's CSP (script-src 'self') would refuse.
        await page.EvaluateAsync(await File.ReadAllTextAsync(axe));
        var violations = await page.EvaluateAsync<string[]>(
            """
            async () => (await axe.run(document, { resultTypes: ['violations'] })).violations
              .filter(v => v.impact === 'serious' || v.impact === 'critical')
              .map(v => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map(n => n.target.join(' ')).join(', ')}`)
            """);
        return violations;
    }

    public async ValueTask DisposeAsync()
    {
        await Context.DisposeAsync();
        _playwright.Dispose();
        Directory.Delete(_profile, recursive: true);
    }
}
