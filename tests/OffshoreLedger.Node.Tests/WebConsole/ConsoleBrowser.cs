using System.Reflection;
using Microsoft.Playwright;

namespace OffshoreLedger.Node.Tests.WebConsole;

/// <summary>One browser session in the shared <see cref="Chromium"/>, with the console's steps the tests repeat.</summary>
public sealed class ConsoleBrowser(IBrowserContext context) : IAsyncDisposable
{
    /// <summary>Where the test run writes a screenshot of each page (under the test output; not committed).</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "console-screenshots");

    /// <summary>The session's context: its pages, storage and cookies.</summary>
    public IBrowserContext Context { get; } = context;

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

    public ValueTask DisposeAsync() => Context.DisposeAsync();
}
