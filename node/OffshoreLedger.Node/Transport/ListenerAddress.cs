using System.Net;
using OffshoreLedger.Node.Hosting;

namespace OffshoreLedger.Node.Transport;

/// <summary>One address the node is told to listen on (a <c>Urls</c> entry or a Kestrel endpoint's URL), as Kestrel reads it.</summary>
public sealed record ListenerAddress(string Url, string Scheme, string Host)
{
    public bool IsTls => Scheme == "https";

    /// <summary>
    /// True when only this machine can connect: <c>localhost</c>, a loopback IP or a Unix socket. Wildcards (<c>*</c>,
    /// <c>+</c>, <c>0.0.0.0</c>, <c>[::]</c>) and any other name or address are reachable from the network.
    /// </summary>
    public bool IsLoopback =>
        Host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || Host.StartsWith("unix:", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    /// <summary>
    /// Parses <c>scheme://host:port[/path]</c>, including Kestrel's wildcard hosts, which <see cref="Uri"/> does not accept.
    /// </summary>
    public static ListenerAddress Parse(string url)
    {
        var trimmed = url.Trim();
        var separator = trimmed.IndexOf("://", StringComparison.Ordinal);
        if (separator <= 0) throw new NodeStartupException($"'{trimmed}' is not a listener URL (scheme://host:port).");
        var scheme = trimmed[..separator].ToLowerInvariant();
        var rest = trimmed[(separator + 3)..];
        if (rest.StartsWith("unix:", StringComparison.OrdinalIgnoreCase)) return new ListenerAddress(trimmed, scheme, "unix:");
        var slash = rest.IndexOf('/');
        var authority = slash < 0 ? rest : rest[..slash];
        string host;
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']');
            host = close < 0 ? authority : authority[..(close + 1)];
        }
        else
        {
            var colon = authority.LastIndexOf(':');
            host = colon < 0 ? authority : authority[..colon];
        }
        return new ListenerAddress(trimmed, scheme, host);
    }
}
