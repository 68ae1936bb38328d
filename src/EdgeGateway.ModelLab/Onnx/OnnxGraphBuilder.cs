using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace EdgeGateway.ModelLab.Onnx;

/// <summary>
/// Builds an ONNX model from the classes Grpc.Tools generates out of the official <c>onnx.proto</c>
/// and serialises it with Google.Protobuf. The output is byte-stable: no timestamps, nodes and
/// initialisers in the order they were added, tensors stored as little-endian raw data.
/// </summary>
public sealed class OnnxGraphBuilder
{
    /// <summary>Operator set version written into every model (ONNX 1.12 defines up to 17).</summary>
    public const long OpsetVersion = 17;

    /// <summary>IR version matching <see cref="OpsetVersion"/>.</summary>
    public const long IrVersion = 8;

    private readonly GraphProto _graph;
    private int _nodeCount;

    /// <summary>Starts an empty graph.</summary>
    public OnnxGraphBuilder(string graphName)
    {
        _graph = new GraphProto { Name = graphName };
    }

    /// <summary>Declares a float32 graph input; a null dimension is the symbolic batch size <c>N</c>.</summary>
    public void AddInput(string name, params long?[] dims) => _graph.Input.Add(ValueInfo(name, dims));

    /// <summary>Declares a float32 graph output.</summary>
    public void AddOutput(string name, params long?[] dims) => _graph.Output.Add(ValueInfo(name, dims));

    /// <summary>Adds a float32 constant tensor.</summary>
    public string AddFloat(string name, ReadOnlySpan<float> data, params long[] dims)
    {
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        t.Dims.AddRange(dims);
        t.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(data));
        _graph.Initializer.Add(t);
        return name;
    }

    /// <summary>Adds an int8 constant tensor.</summary>
    public string AddInt8(string name, ReadOnlySpan<sbyte> data, params long[] dims)
    {
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int8 };
        t.Dims.AddRange(dims);
        t.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(data));
        _graph.Initializer.Add(t);
        return name;
    }

    /// <summary>Adds an int64 constant tensor (shapes, axes).</summary>
    public string AddInt64(string name, ReadOnlySpan<long> data, params long[] dims)
    {
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        t.Dims.AddRange(dims);
        t.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(data));
        _graph.Initializer.Add(t);
        return name;
    }

    /// <summary>Adds a node; returns its first output name.</summary>
    public string Node(string opType, string[] inputs, string output, params AttributeProto[] attributes)
    {
        var n = new NodeProto { OpType = opType, Name = $"{opType}_{_nodeCount++}" };
        n.Input.AddRange(inputs);
        n.Output.Add(output);
        n.Attribute.AddRange(attributes);
        _graph.Node.Add(n);
        return output;
    }

    /// <summary>An integer attribute.</summary>
    public static AttributeProto IntAttr(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    /// <summary>An integer-list attribute.</summary>
    public static AttributeProto IntsAttr(string name, params long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    /// <summary>Finishes the model with the given metadata (ordinal-sorted so the bytes are stable).</summary>
    public ModelProto Build(string docString, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "EdgeGateway.ModelLab",
            ProducerVersion = "1",
            DocString = docString,
            Graph = _graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = OpsetVersion });
        if (metadata is not null)
        {
            foreach (var (k, v) in metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                model.MetadataProps.Add(new StringStringEntryProto { Key = k, Value = v });
            }
        }

        return model;
    }

    /// <summary>Serialises a model.</summary>
    public static byte[] Serialize(ModelProto model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.ToByteArray();
    }

    /// <summary>Parses bytes as an ONNX model; stops with the file name when they are not one.</summary>
    public static ModelProto Parse(byte[] bytes, string source)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new LabException($"{source}: not an ONNX model ({ex.Message})", ex);
        }

        if (model.Graph is null || model.IrVersion <= 0 || model.OpsetImport.Count == 0)
        {
            throw new LabException($"{source}: not an ONNX model (no graph, IR version or opset)");
        }

        return model;
    }

    private static ValueInfoProto ValueInfo(string name, long?[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
        {
            shape.Dim.Add(d is { } v ? new TensorShapeProto.Types.Dimension { DimValue = v } : new TensorShapeProto.Types.Dimension { DimParam = "N" });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }
}
