namespace OffshoreLedger.Client;

/// <summary>Marks the client library's assembly.</summary>
public static class ClientAssembly;
