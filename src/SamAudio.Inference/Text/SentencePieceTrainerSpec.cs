using System.Text;

namespace SamAudio.Inference.Text;

/// <summary>
/// Reads and patches the special-token ids of a SentencePiece <c>ModelProto</c> at the protobuf wire level
/// (<c>ModelProto.trainer_spec</c> = field 2; inside it unk/bos/eos/pad ids = fields 40-43 and their pieces = 45-48).
/// Hand-written: only these few fields are touched, every piece and score stays byte for byte as it was.
/// </summary>
internal sealed record SentencePieceTrainerSpec(int UnkId, int BosId, int EosId, int PadId, string UnkPiece, string BosPiece, string EosPiece, string PadPiece)
{
    private const int TrainerSpecField = 2;
    private const int UnkIdField = 40, BosIdField = 41, EosIdField = 42, PadIdField = 43;
    private const int UnkPieceField = 45, BosPieceField = 46, EosPieceField = 47, PadPieceField = 48;

    /// <summary>The special ids of <paramref name="model"/>, with the proto2 defaults where a field is absent.</summary>
    public static SentencePieceTrainerSpec Read(ReadOnlySpan<byte> model)
    {
        var spec = new SentencePieceTrainerSpec(0, 1, 2, -1, "<unk>", "<s>", "</s>", "<pad>");
        foreach (var (field, _, _, start, length) in Fields(model))
        {
            if (field == TrainerSpecField)
            {
                spec = ReadTrainerSpec(model.Slice(start, length), spec);
            }
        }

        return spec;
    }

    /// <summary>
    /// A copy of <paramref name="model"/> whose <c>bos_id</c> and <c>bos_piece</c> name <paramref name="id"/> and
    /// <paramref name="piece"/> (appended to trainer_spec: for proto2 scalars the last occurrence wins).
    /// </summary>
    public static byte[] WithBos(ReadOnlySpan<byte> model, int id, string piece)
    {
        using var output = new MemoryStream(model.Length + 32);
        foreach (var (field, _, headerStart, start, length) in Fields(model))
        {
            if (field != TrainerSpecField)
            {
                output.Write(model[headerStart..(start + length)]);
                continue;
            }

            using var spec = new MemoryStream();
            spec.Write(model.Slice(start, length));
            WriteVarint(spec, ((ulong)BosIdField << 3) | 0);
            WriteVarint(spec, unchecked((ulong)(long)id));
            byte[] text = Encoding.UTF8.GetBytes(piece);
            WriteVarint(spec, ((ulong)BosPieceField << 3) | 2);
            WriteVarint(spec, (ulong)text.Length);
            spec.Write(text);
            WriteVarint(output, ((ulong)TrainerSpecField << 3) | 2);
            WriteVarint(output, (ulong)spec.Length);
            spec.Position = 0;
            spec.CopyTo(output);
        }

        return output.ToArray();
    }

    private static SentencePieceTrainerSpec ReadTrainerSpec(ReadOnlySpan<byte> spec, SentencePieceTrainerSpec current)
    {
        foreach (var (field, wire, _, start, length) in Fields(spec))
        {
            int at = start;
            int value = wire == 0 ? unchecked((int)(long)ReadVarint(spec, ref at)) : 0;
            string text = wire == 2 ? Encoding.UTF8.GetString(spec.Slice(start, length)) : "";
            current = field switch
            {
                UnkIdField => current with { UnkId = value },
                BosIdField => current with { BosId = value },
                EosIdField => current with { EosId = value },
                PadIdField => current with { PadId = value },
                UnkPieceField => current with { UnkPiece = text },
                BosPieceField => current with { BosPiece = text },
                EosPieceField => current with { EosPiece = text },
                PadPieceField => current with { PadPiece = text },
                _ => current,
            };
        }

        return current;
    }

    /// <summary>Top-level fields: number, wire type, where the field's key starts and where its value (the payload
    /// for wire type 2) starts and how long it is.</summary>
    private static List<(int Field, int Wire, int HeaderStart, int Start, int Length)> Fields(ReadOnlySpan<byte> message)
    {
        var fields = new List<(int, int, int, int, int)>();
        int position = 0;
        while (position < message.Length)
        {
            int headerStart = position;
            ulong key = ReadVarint(message, ref position);
            int field = (int)(key >> 3), wire = (int)(key & 7);
            int start = position;
            switch (wire)
            {
                case 0: ReadVarint(message, ref position); break;
                case 1: position += 8; break;
                case 5: position += 4; break;
                case 2:
                    int length = checked((int)ReadVarint(message, ref position));
                    start = position;
                    position += length;
                    break;
                default: throw new InvalidDataException($"Unsupported protobuf wire type {wire} in a SentencePiece model.");
            }

            if (position > message.Length)
            {
                throw new InvalidDataException("The SentencePiece model is truncated.");
            }

            fields.Add((field, wire, headerStart, start, position - start));
        }

        return fields;
    }

    private static int VarintLength(ulong value)
    {
        int length = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            length++;
        }

        return length;
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> data, ref int position)
    {
        ulong result = 0;
        for (int shift = 0; shift < 70; shift += 7)
        {
            byte b = data[position++];
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
        }

        throw new InvalidDataException("Malformed varint in a SentencePiece model.");
    }

    private static void WriteVarint(Stream stream, ulong value)
    {
        while (value >= 0x80)
        {
            stream.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        stream.WriteByte((byte)value);
    }
}
