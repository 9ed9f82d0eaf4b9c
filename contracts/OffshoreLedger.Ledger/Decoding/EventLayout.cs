using System.Buffers.Binary;
using System.Linq.Expressions;
using System.Reflection;
using Nethereum.ABI.FunctionEncoding.Attributes;

namespace OffshoreLedger.Ledger.Decoding;

/// <summary>
/// Decodes one event type's topics and data by the same <c>[Parameter]</c> attributes Nethereum reads, for just the
/// ABI types the contract's events use. Nethereum's general decoder costs more a log than the chain takes to serve
/// one; this one a small fraction of that (compiled setters, words read in place), which is what lets the audit replay
/// keep up with <c>eth_getLogs</c> (BENCHMARKS.md, "Audit replay", has the figures). A test decodes every event type
/// both ways and compares.
/// </summary>
internal sealed class EventLayout
{
    private const int Slot = 32;
    private readonly Func<IEventDTO> _create;
    private readonly Field[] _indexed;
    private readonly Field[] _data;

    private EventLayout(Func<IEventDTO> create, Field[] indexed, Field[] data)
    {
        _create = create;
        _indexed = indexed;
        _data = data;
    }

    public static EventLayout For<TEvent>() where TEvent : IEventDTO, new()
    {
        var fields = typeof(TEvent).GetProperties()
            .Select(p => (Property: p, Attribute: p.GetCustomAttribute<ParameterAttribute>()))
            .Where(f => f.Attribute is not null)
            .OrderBy(f => f.Attribute!.Parameter.Order)
            .Select(f => Field.For(typeof(TEvent), f.Attribute!.Parameter.Type, f.Attribute.Parameter.Indexed, f.Property))
            .ToList();
        return new EventLayout(() => new TEvent(), [.. fields.Where(f => f.Indexed)], [.. fields.Where(f => !f.Indexed)]);
    }

    public IEventDTO Decode(byte[][] topics, byte[] data)
    {
        if (topics.Length != _indexed.Length + 1) throw new FormatException($"Expected {_indexed.Length + 1} topics, got {topics.Length}.");
        if (data.Length < _data.Length * Slot) throw new FormatException(
            $"Expected at least {_data.Length * Slot} bytes of data, got {data.Length}.");
        var decoded = _create();
        for (var i = 0; i < _indexed.Length; i++) _indexed[i].Set(decoded, topics[i + 1], 0, data);
        for (var i = 0; i < _data.Length; i++) _data[i].Set(decoded, data, i * Slot, data);
        return decoded;
    }

    private enum Shape
    {
        Address,
        Bool,
        Byte,
        UInt32,
        UInt64,
        FixedBytes,
        Bytes32Array,
        UInt64Array,
        String,
    }

    /// <summary>One parameter: its shape, and a compiled setter for its property.</summary>
    private sealed record Field(Shape Shape, int FixedLength, bool Indexed, Action<object, object> Setter)
    {
        public static Field For(Type eventType, string abiType, bool indexed, PropertyInfo property)
        {
            var type = property.PropertyType;
            Shape? shape = abiType switch
            {
                "address" when type == typeof(string) => Shape.Address,
                "bool" when type == typeof(bool) => Shape.Bool,
                "string" when type == typeof(string) => Shape.String,
                "bytes32[]" when type == typeof(List<byte[]>) => Shape.Bytes32Array,
                "uint64[]" when type == typeof(List<ulong>) => Shape.UInt64Array,
                _ when abiType.StartsWith("uint", StringComparison.Ordinal) && !abiType.EndsWith(']') =>
                    type == typeof(byte) ? Shape.Byte : type == typeof(uint) ? Shape.UInt32 : type == typeof(ulong) ? Shape.UInt64 : null,
                _ when abiType.StartsWith("bytes", StringComparison.Ordinal) && !abiType.EndsWith(']') && type == typeof(byte[]) =>
                    Shape.FixedBytes,
                _ => null,
            };
            if (shape is null || (indexed && shape is Shape.Bytes32Array or Shape.UInt64Array or Shape.String))
            {
                throw new NotSupportedException(
                    $"{eventType.Name}.{property.Name}: ABI type {abiType} as {type.Name} is not decoded here; extend EventLayout.");
            }
            var length = shape == Shape.FixedBytes ? int.Parse(abiType.AsSpan(5), System.Globalization.CultureInfo.InvariantCulture) : 0;

            // (target, value) => ((TEvent)target).Property = (TProperty)value, compiled once per property.
            var target = Expression.Parameter(typeof(object));
            var value = Expression.Parameter(typeof(object));
            var setter = Expression.Lambda<Action<object, object>>(
                Expression.Assign(Expression.Property(Expression.Convert(target, eventType), property), Expression.Convert(value, type)),
                target, value).Compile();
            return new Field(shape.Value, length, indexed, setter);
        }

        /// <summary>Sets the property from the word at <paramref name="at"/> in <paramref name="source"/> (a topic, or the data).</summary>
        public void Set(object decoded, byte[] source, int at, byte[] data)
        {
            var word = source.AsSpan(at, Slot);
            Setter(decoded, Shape switch
            {
                Shape.Address => Addresses.Of(word[12..]),
                Shape.Bool => Unsigned(word) switch { 0 => false, 1 => true, _ => throw new FormatException("A bool is neither 0 nor 1.") },
                Shape.Byte => checked((byte)Unsigned(word)),
                Shape.UInt32 => checked((uint)Unsigned(word)),
                Shape.UInt64 => Unsigned(word),
                Shape.FixedBytes => word[..FixedLength].ToArray(),
                Shape.Bytes32Array => Array(word, data, (d, offset) => d.AsSpan(offset, Slot).ToArray()),
                Shape.String => Text(word, data),
                _ => Array(word, data, (d, offset) => Unsigned(d.AsSpan(offset, Slot))),
            });
        }

        /// <summary>A dynamic array: the word is its offset in the data, where its length and then its elements are.</summary>
        private static List<T> Array<T>(ReadOnlySpan<byte> word, byte[] data, Func<byte[], int, T> element)
        {
            var offset = checked((int)Unsigned(word));
            if ((long)offset + Slot > data.Length) throw new FormatException("An array's offset is past the end of the data.");
            var length = checked((int)Unsigned(data.AsSpan(offset, Slot)));
            if ((long)offset + Slot + (long)length * Slot > data.Length) throw new FormatException(
                "An array runs past the end of the data.");
            var list = new List<T>(length);
            for (var i = 0; i < length; i++) list.Add(element(data, offset + Slot + i * Slot));
            return list;
        }

        /// <summary>A string: the word is its offset in the data, where its byte length and then its UTF-8 bytes are.</summary>
        private static string Text(ReadOnlySpan<byte> word, byte[] data)
        {
            var offset = checked((int)Unsigned(word));
            if ((long)offset + Slot > data.Length) throw new FormatException("A string's offset is past the end of the data.");
            var length = checked((int)Unsigned(data.AsSpan(offset, Slot)));
            if ((long)offset + Slot + length > data.Length) throw new FormatException("A string runs past the end of the data.");
            return System.Text.Encoding.UTF8.GetString(data, offset + Slot, length);
        }

        private static ulong Unsigned(ReadOnlySpan<byte> word)
        {
            if (word[..24].IndexOfAnyExcept((byte)0) >= 0) throw new FormatException("An integer does not fit in 64 bits.");
            return BinaryPrimitives.ReadUInt64BigEndian(word[24..]);
        }
    }

    /// <summary>
    /// Address strings, one per address: a consortium has a handful of members, named in nearly every event, and a
    /// replay keeps every event. Bounded, so a chain of many addresses only stops sharing.
    /// </summary>
    private static class Addresses
    {
        private const int Limit = 4_096;
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<(ulong, ulong, uint), string> Known = new();

        public static string Of(ReadOnlySpan<byte> address)
        {
            var id = (BinaryPrimitives.ReadUInt64BigEndian(address), BinaryPrimitives.ReadUInt64BigEndian(address[8..]),
                BinaryPrimitives.ReadUInt32BigEndian(address[16..]));
            if (Known.TryGetValue(id, out var text)) return text;
            text = "0x" + Convert.ToHexStringLower(address);
            if (Known.Count < Limit) Known.TryAdd(id, text);
            return text;
        }
    }
}
