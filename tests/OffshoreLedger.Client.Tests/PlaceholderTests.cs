namespace OffshoreLedger.Client.Tests;

public class ClientAssemblyTests
{
    [Fact]
    public void Client_assembly_is_named_after_the_product() =>
        Assert.Equal("OffshoreLedger.Client", typeof(ClientAssembly).Assembly.GetName().Name);
}
