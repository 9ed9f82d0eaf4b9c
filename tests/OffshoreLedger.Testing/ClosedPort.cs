using System.Net;
using System.Net.Sockets;

namespace OffshoreLedger.Testing;

/// <summary>
/// A loopback port that refuses every connection for as long as this is held: a socket bound to port 0 (the system's
/// choice) that never listens, so a client dialling it gets "connection refused" at once, and no other process can bind
/// it meanwhile. This replaces probing a free port and releasing it, which races with whoever binds it next.
/// </summary>
public sealed class ClosedPort : IDisposable
{
    private readonly Socket _socket;

    public ClosedPort()
    {
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Port = ((IPEndPoint)_socket.LocalEndPoint!).Port;
    }

    public int Port { get; }

    /// <summary><c>http://127.0.0.1:PORT</c>: a node URL nothing answers at.</summary>
    public string Url => $"http://127.0.0.1:{Port}";

    public void Dispose() => _socket.Dispose();
}
