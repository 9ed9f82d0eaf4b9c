using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using OffshoreLedger.Client.Documents;

namespace OffshoreLedger.Client.Canonical;

/// <summary>
/// The JSON form of the typed documents, which their hash is taken over: camelCase member names,
/// enums as camelCase strings, dates as yyyy-MM-dd, instants in UTC with a Z, absent optionals omitted.
/// </summary>
/// <remarks>This form is part of the published test vectors; changing it changes every document hash.</remarks>
public static class DocumentJson
{
    /// <summary>The serializer options every participant must use for the typed documents.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>Serialises a typed document to its JSON form (not yet canonical).</summary>
    /// <param name="document">The document.</param>
    /// <returns>UTF-8 JSON.</returns>
    public static byte[] Serialize(ITradeDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return JsonSerializer.SerializeToUtf8Bytes(document, document.GetType(), Options);
    }

    /// <summary>Reads a typed document back from its JSON form.</summary>
    /// <typeparam name="T">The document type.</typeparam>
    /// <param name="json">The JSON text.</param>
    /// <returns>The document.</returns>
    /// <exception cref="JsonException">The JSON does not describe a <typeparamref name="T"/>.</exception>
    public static T Deserialize<T>(string json)
        where T : ITradeDocument =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException("The JSON is null, not a document.");

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            WriteIndented = false,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.Converters.Add(new UtcInstantConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    // The same instant written with different offsets is the same document.
    private sealed class UtcInstantConverter : JsonConverter<DateTimeOffset>
    {
        private const string Format = "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'";

        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture));
    }
}
