using Microsoft.Playwright;

namespace OffshoreLedger.Node.Tests.WebConsole;

/// <summary>
/// The web console (issue 19, items 2–4) in headless chromium against real TLS nodes on a real chain, after the
/// walkthrough's pledge to bank A and bank B's blocked attempt (<see cref="ConsoleStory"/>). Each test writes a
/// screenshot of its page to <see cref="ConsoleBrowser.ScreenshotFolder"/>.
/// </summary>
[Collection(NodeCollection.Name)]
public sealed class WebConsoleBrowserTests(ConsortiumFixture fixture)
{
    private Task<ConsoleStory> Story() => fixture.SharedAsync(ConsoleStory.StartAsync);

    /// <summary>A new browser session (nothing stored by another test's) in the chromium the tests share.</summary>
    private async Task<ConsoleBrowser> SessionAsync() => await (await fixture.SharedAsync(_ => Chromium.StartAsync())).NewSessionAsync();

    /// <summary>How the console names a member: the name governance recorded, and enough of its address.</summary>
    private string Named(string member, RunningNode node) =>
        $"{fixture.Consortium.Member(member).OrganisationName} ({node.Address[..6]}…{node.Address[^4..]})";

    [Fact]
    public async Task Check_collateral_of_the_sample_bill_of_lading_reads_not_clear_pledged_to_bank_A()
    {
        var story = await Story();
        await using var browser = await SessionAsync();
        var page = await browser.OpenAsync(story.BankB, story.BankB.ReadKey, "collateral");
        var section = page.Locator("#page-collateral");

        // Dropped onto the box, as a person would drag the file from their desktop.
        var dropped = await page.EvaluateHandleAsync(
            "([name, text]) => { const t = new DataTransfer(); t.items.add(new File([text], name, { type: 'application/json' })); return " +
                "t; }",
            new[] { Path.GetFileName(story.Trade.BillOfLading), await File.ReadAllTextAsync(story.Trade.BillOfLading) });
        await section.Locator(".drop").DispatchEventAsync("drop", new { dataTransfer = dropped });
        Assert.Equal(1, await section.GetByLabel("Document file (JSON)").EvaluateAsync<int>("input => input.files.length"));
        await section.GetByRole(AriaRole.Button, new() { Name = "Check" }).ClickAsync();

        var result = page.Locator("#collateral-result");
        await Assertions.Expect(result.Locator(".verdict")).ToHaveTextAsync("NOT CLEAR");
        await Assertions.Expect(result).ToContainTextAsync($"pledged to {Named("bank A", story.BankA)}", new() { IgnoreCase = true });
        await Assertions.Expect(result).ToContainTextAsync($"pledge {story.PledgeId}");
        await Assertions.Expect(result).ToContainTextAsync($"Title {story.TitleId} (");
        await Assertions.Expect(result).ToContainTextAsync("As of block");
        await ConsoleBrowser.ScreenshotAsync(page, "check-collateral");
    }

    [Fact]
    public async Task Verify_a_document_shows_who_anchored_it_and_refuses_an_altered_copy_as_tampered()
    {
        var story = await Story();
        await using var browser = await SessionAsync();
        var page = await browser.OpenAsync(story.BankB, story.BankB.ReadKey, "verify");
        var section = page.Locator("#page-verify");
        var result = page.Locator("#verify-result");

        await section.GetByLabel("Document file (JSON)").SetInputFilesAsync(story.Trade.SalesInvoice);
        await section.GetByLabel("Proof file (JSON, optional)").SetInputFilesAsync(story.SalesInvoiceProof);
        await section.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await Assertions.Expect(result.Locator(".verdict")).ToHaveTextAsync("ANCHORED");
        await Assertions.Expect(result).ToContainTextAsync($"anchored by {Named("trader", story.Trader)}", new() { IgnoreCase = true });
        await Assertions.Expect(result).ToContainTextAsync("in block");

        await section.GetByLabel("Document file (JSON)").SetInputFilesAsync(story.TamperedSalesInvoice);
        await section.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await Assertions.Expect(result.Locator(".verdict")).ToHaveTextAsync("TAMPERED");
        await Assertions.Expect(result).ToContainTextAsync("not the document its proof was made for");
        await ConsoleBrowser.ScreenshotAsync(page, "verify-document-tampered");

        // The right document with another document's proof: a wrong proof, not a tampered document.
        await section.GetByLabel("Document file (JSON)").SetInputFilesAsync(story.Trade.SalesInvoice);
        await section.GetByLabel("Proof file (JSON, optional)").SetInputFilesAsync(story.Proofs[1]);
        await section.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await Assertions.Expect(result.Locator(".verdict")).ToHaveTextAsync("TAMPERED");
    }

    [Fact]
    public async Task The_title_page_shows_the_history_with_bank_Bs_blocked_attempt()
    {
        var story = await Story();
        await using var browser = await SessionAsync();
        var page = await browser.OpenAsync(story.BankB, story.BankB.ReadKey, "title");
        var section = page.Locator("#page-title");

        await section.GetByLabel("Title id").FillAsync(story.TitleId);
        await section.GetByLabel("Title id").PressAsync("Enter"); // keyboard alone submits

        var timeline = page.Locator("#title-result ol.timeline > li");
        await Assertions.Expect(timeline.First).ToContainTextAsync("Registered");
        await Assertions.Expect(page.Locator("#title-result li.blocked")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#title-result li.blocked")).ToContainTextAsync(
            $"{Named("bank B", story.BankB)} tried to pledge it while pledge {story.PledgeId} held it", new() { IgnoreCase = true });
        await Assertions.Expect(page.Locator("#title-result"))
            .ToContainTextAsync($"to {Named("bank A", story.BankA)}", new() { IgnoreCase = true });
        await ConsoleBrowser.ScreenshotAsync(page, "title-history");
    }

    [Fact]
    public async Task Trade_verification_renders_the_verdict_and_every_check_with_its_evidence()
    {
        var story = await Story();
        await using var browser = await SessionAsync();
        var page = await browser.OpenAsync(story.BankA, story.BankA.ReadKey, "trade");
        var section = page.Locator("#page-trade");

        await page.Locator("#trade-purchase").SetInputFilesAsync(story.Trade.PurchaseInvoice);
        await page.Locator("#trade-purchase-proof").SetInputFilesAsync(story.Proofs[1]);
        await page.Locator("#trade-sales").SetInputFilesAsync(story.Trade.SalesInvoice);
        await page.Locator("#trade-sales-proof").SetInputFilesAsync(story.Proofs[2]);
        await page.Locator("#trade-bl").SetInputFilesAsync(story.Trade.BillOfLading);
        await page.Locator("#trade-bl-proof").SetInputFilesAsync(story.Proofs[0]);
        await page.Locator("#trade-settlements").SetInputFilesAsync([story.Trade.PurchaseSettlement, story.Trade.SaleSettlement]);
        await page.Locator("#trade-settlements-proofs").SetInputFilesAsync([story.Proofs[4], story.Proofs[3]]); // paired by name, not order
        await section.GetByRole(AriaRole.Button, new() { Name = "Verify the trade" }).ClickAsync();

        var result = page.Locator("#trade-result");
        // As in the walkthrough's step 3: every document anchored (proofs handed over), the title pledged to this bank.
        await Assertions.Expect(result.Locator(".verdict")).ToHaveTextAsync("PASS");
        await Assertions.Expect(result.Locator("tbody tr")).ToHaveCountAsync(9);
        await Assertions.Expect(result).ToContainTextAsync($"Title {story.TitleId}.");
        await ConsoleBrowser.ScreenshotAsync(page, "trade-verification");
    }

    [Fact]
    public async Task Ledger_overview_shows_the_sync_state_and_the_audit_reports_blocked_attempt()
    {
        var story = await Story();
        await using var browser = await SessionAsync();
        var page = await browser.OpenAsync(story.BankB, story.BankB.ReadKey, "overview");
        var section = page.Locator("#page-overview");

        await Assertions.Expect(page.Locator("#overview-node")).ToContainTextAsync("Synced to block");
        await Assertions.Expect(page.Locator("#overview-node")).ToContainTextAsync(story.BankB.Address, new() { IgnoreCase = true });
        await Assertions.Expect(page.Locator("#overview-node")).ToContainTextAsync(fixture.Consortium.Member("bank B").OrganisationName);
        await Assertions.Expect(page.Locator("#node-name")).ToContainTextAsync(Named("bank B", story.BankB), new() { IgnoreCase = true });
        await section.GetByLabel("Audit report (JSON)").SetInputFilesAsync(story.AuditReport);
        await section.GetByRole(AriaRole.Button, new() { Name = "Show the report" }).ClickAsync();

        var result = page.Locator("#report-result");
        await Assertions.Expect(result).ToContainTextAsync("Blocked attempts");
        await Assertions.Expect(result).ToContainTextAsync(story.BankB.Address, new() { IgnoreCase = true });
        await ConsoleBrowser.ScreenshotAsync(page, "ledger-overview");
    }

    [Fact]
    public async Task Every_page_passes_axe_with_no_serious_violations_and_is_reached_by_keyboard()
    {
        var story = await Story();
        await using var browser = await SessionAsync();
        var page = await browser.Context.NewPageAsync();
        await page.GotoAsync($"{story.BankB.Url.TrimEnd('/')}/console/");
        Assert.Empty(await ConsoleBrowser.SeriousAccessibilityViolationsAsync(page)); // the sign-in page

        // Keyboard alone: the key field, Enter, then Tab to a page link and Enter.
        await page.GetByLabel("API key").FocusAsync();
        await page.Keyboard.TypeAsync(story.BankB.ReadKey);
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#page-collateral")).ToBeVisibleAsync();
        foreach (var name in new[] { "Check collateral", "Verify a document", "Title", "Trade verification", "Ledger overview" })
        {
            var link = page.GetByRole(AriaRole.Link, new() { Name = name, Exact = true });
            await link.FocusAsync();
            await page.Keyboard.PressAsync("Enter");
            await Assertions.Expect(link).ToHaveAttributeAsync("aria-current", "page");
            await Assertions.Expect(page.Locator("h1:visible")).ToHaveTextAsync(name);
            Assert.Empty(await ConsoleBrowser.SeriousAccessibilityViolationsAsync(page));
        }
    }

    [Fact]
    public async Task The_key_is_asked_once_per_browser_session_kept_encrypted_in_session_storage_only_and_refusals_read_as_sentences()
    {
        var story = await Story();
        await using (var browser = await SessionAsync())
        {
            var page = await browser.OpenAsync(story.BankB, story.BankB.ReadKey, "title");
            var section = page.Locator("#page-title");
            await page.ReloadAsync();
            await Assertions.Expect(page.Locator("#page-title")).ToBeVisibleAsync(); // not asked again in this session

            // Kept for the session, never in plain text: the tab's sessionStorage holds an AES-GCM ciphertext, nothing
            // else in the page's storage holds the key (IndexedDB keeps only the non-extractable AES key).
            var stored = await page.EvaluateAsync<string?>("() => JSON.stringify(Object.assign({}, sessionStorage))");
            Assert.Contains("offshore-ledger.api-key", stored);
            Assert.DoesNotContain(story.BankB.ReadKey, stored);
            Assert.DoesNotContain(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(story.BankB.ReadKey)), stored);
            Assert.Equal(0, await page.EvaluateAsync<int>("() => localStorage.length"));
            Assert.Empty(await browser.Context.CookiesAsync());

            // A title that does not exist: the node's NOT_FOUND as a sentence, not a status code.
            await section.GetByLabel("Title id").FillAsync("999999999");
            await section.GetByRole(AriaRole.Button, new() { Name = "Show history" }).ClickAsync();
            var error = page.Locator("#title-result .error");
            await Assertions.Expect(error).ToContainTextAsync("The node found nothing for this request.");
            Assert.DoesNotContain("404", await error.InnerTextAsync());
        }

        // A new browser session asks again; a guessed key is refused in words.
        await using var other = await SessionAsync();
        var guessed = await other.OpenAsync(story.BankB, "guessed-key", "title");
        await guessed.Locator("#page-title").GetByLabel("Title id").FillAsync(story.TitleId);
        await guessed.Locator("#page-title").GetByRole(AriaRole.Button, new() { Name = "Show history" }).ClickAsync();
        await Assertions.Expect(guessed.Locator("#title-result .error")).ToContainTextAsync("The node did not recognise this API key.");
        await Assertions.Expect(guessed.Locator("#title-result ol.timeline")).ToHaveCountAsync(0);
    }
}
