namespace OffshoreLedger.Contracts.Tests.Audit;

/// <summary>A section of an audit report's Markdown: the text under a heading, up to the next heading.</summary>
internal static class MarkdownSection
{
    public static string Of(string markdown, string heading)
    {
        var start = markdown.IndexOf(heading + "\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no '{heading}' in the report");
        start += heading.Length + 1;
        var end = markdown.IndexOf("\n#", start, StringComparison.Ordinal);
        return end < 0 ? markdown[start..] : markdown[start..end];
    }
}
