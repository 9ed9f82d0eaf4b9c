namespace OffshoreLedger.Node.Chain;

/// <summary>UN/ECE Rec. 20 unit codes as the contract stores them: ASCII, right-padded to 8 bytes.</summary>
public static class UnitCode
{
    public static byte[] ToBytes(string unit)
    {
        var bytes = new byte[8];
        System.Text.Encoding.ASCII.GetBytes(unit).CopyTo(bytes, 0);
        return bytes;
    }

    public static string FromBytes(byte[] unit) => System.Text.Encoding.ASCII.GetString(unit).TrimEnd('\0');
}
