using OffshoreLedger.Node.Transport;

namespace OffshoreLedger.Node.Tests.Security;

/// <summary>Which listener addresses other machines can reach, as Kestrel binds them (pure logic: no sockets).</summary>
public sealed class ListenerAddressTests
{
    [Theory]
    [InlineData("http://127.0.0.1:50051", true)]
    [InlineData("http://127.1.2.3:50051", true)]
    [InlineData("http://localhost:50051", true)]
    [InlineData("http://LOCALHOST:0", true)]
    [InlineData("http://[::1]:50051", true)]
    [InlineData("http://unix:/run/offshore.sock", true)]
    [InlineData("http://0.0.0.0:50051", false)]
    [InlineData("http://*:50051", false)]
    [InlineData("http://+:50051", false)]
    [InlineData("http://[::]:50051", false)]
    [InlineData("http://192.0.2.2:50051", false)]
    [InlineData("http://node.bank.example:50051", false)]
    [InlineData("http://localhost.bank.example:50051", false)]
    public void Only_loopback_hosts_count_as_loopback(string url, bool loopback)
    {
        Assert.Equal(loopback, ListenerAddress.Parse(url).IsLoopback);
    }

    [Theory]
    [InlineData("https://0.0.0.0:50051", true)]
    [InlineData("HTTPS://127.0.0.1:0", true)]
    [InlineData("http://0.0.0.0:50051", false)]
    public void The_scheme_decides_tls(string url, bool tls)
    {
        Assert.Equal(tls, ListenerAddress.Parse(url).IsTls);
    }

    [Fact]
    public void A_url_without_a_scheme_is_refused_naming_it()
    {
        var failure = Assert.Throws<Hosting.NodeStartupException>(() => ListenerAddress.Parse("0.0.0.0:50051"));

        Assert.Contains("0.0.0.0:50051", failure.Message);
    }
}
