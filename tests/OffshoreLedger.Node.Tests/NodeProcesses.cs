using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using OffshoreLedger.Node.Auth;

namespace OffshoreLedger.Node.Tests;

/// <summary>The harness's <see cref="NodeProcess"/> as a member of the test consortium: its settings, API keys and CA.</summary>
public static class NodeProcesses
{
    extension(NodeProcess)
    {
        public static string WriteKey => ConsortiumFixture.WriteKey;
        public static string ReadKey => ConsortiumFixture.ReadKey;

        /// <summary>
        /// Starts a node for <paramref name="memberName"/> on <paramref name="dataDirectory"/> (created, or reused after a
        /// kill), with the fixture's lifted limits, on port 0: the URL is the one it reports having bound.
        /// </summary>
        public static Task<NodeProcess> StartAsync(
            ConsortiumFixture fixture, string memberName, string dataDirectory, TimeSpan timeout, bool tls = false,
            IEnumerable<string>? extraArguments = null)
        {
            var settings = fixture.PrepareNode(fixture.Consortium.Member(memberName).Account, dataDirectory, tls);
            IEnumerable<string> arguments =
            [
                .. settings.ToArguments(),
                .. ConsortiumFixture.LiftedLimits.Select(l => $"--{l.Key}={l.Value}"),
                .. extraArguments ?? [],
            ];
            return tls
                ? NodeProcess.StartAsync(arguments, timeout, dataDirectory, fixture.CertificateAuthorityFile,
                    url => Security.TlsChannels.Trusting(
                        url, X509Certificate2.CreateFromPem(File.ReadAllText(fixture.CertificateAuthorityFile))))
                : NodeProcess.StartAsync(arguments, timeout, dataDirectory);
        }
    }

    extension(NodeProcess node)
    {
        /// <summary>The test consortium's write API key, as call metadata.</summary>
        public Metadata Write => new() { { ApiKeys.Header, ConsortiumFixture.WriteKey } };
    }
}
