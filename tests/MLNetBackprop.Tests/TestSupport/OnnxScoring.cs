using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace MLNetBackprop.Tests.TestSupport;

/// <summary>
/// Exports fitted pipelines with <c>mlContext.Model.ConvertToOnnx</c>, scores the export with ONNX Runtime (an
/// <see cref="InferenceSession"/> fed from a data view's columns), and reads ML.NET's own outputs for comparison.
/// </summary>
internal static class OnnxScoring
{
    /// <summary>The ONNX model of <paramref name="model"/> for input <paramref name="data"/>, at the converter's default opset or <paramref name="opSet"/>.</summary>
    public static byte[] Export(MLContext ml, ITransformer model, IDataView data, int? opSet = null)
    {
        using var stream = new MemoryStream();
        if (opSet is { } version)
            ml.Model.ConvertToOnnx(model, data, version, stream);
        else
            ml.Model.ConvertToOnnx(model, data, stream);
        return stream.ToArray();
    }

    /// <summary>
    /// Runs <paramref name="onnx"/> on every row of <paramref name="data"/> in one batch and returns each graph output
    /// (named as ONNX names it, e.g. <c>Score.output</c>) as its values in row order, as doubles, or strings for text.
    /// </summary>
    public static Dictionary<string, object[]> Run(byte[] onnx, IDataView data)
    {
        using var session = new InferenceSession(onnx);
        var inputs = session.InputMetadata.Select(input => Feed(input.Key, input.Value, data)).ToList();
        using var results = session.Run(inputs);
        return results.ToDictionary(r => r.Name, r => Values(r));
    }

    /// <summary>A float column of <paramref name="data"/> (a scalar or a vector) as one row of values each, made dense.</summary>
    public static float[][] FloatRows(IDataView data, string column)
    {
        var type = data.Schema[column].Type;
        if (type is VectorDataViewType)
            return data.GetColumn<VBuffer<float>>(column).Select(v => v.DenseValues().ToArray()).ToArray();
        return data.GetColumn<float>(column).Select(v => new[] { v }).ToArray();
    }

    /// <summary>A column of ML.NET's output as strings (booleans, keys and text), for exact comparison.</summary>
    /// <remarks>
    /// ApplyOnnxModel gives a one-element vector where ML.NET's scorer gives a scalar: its one value is read. A vector of
    /// booleans gives its values row after row, as ONNX Runtime's tensor does.
    /// </remarks>
    public static string[] Labels(IDataView data, string column) => data.Schema[column].Type switch
    {
        BooleanDataViewType => data.GetColumn<bool>(column).Select(v => v.ToString()).ToArray(),
        KeyDataViewType => data.GetColumn<uint>(column).Select(v => v.ToString(CultureInfo.InvariantCulture)).ToArray(),
        TextDataViewType => data.GetColumn<ReadOnlyMemory<char>>(column).Select(v => v.ToString()).ToArray(),
        var type when type == NumberDataViewType.Single => data.GetColumn<float>(column).Select(v => v.ToString("R", CultureInfo.InvariantCulture)).ToArray(),
        VectorDataViewType { ItemType: BooleanDataViewType } => data.GetColumn<VBuffer<bool>>(column).SelectMany(v => v.DenseValues().Select(b => b.ToString())).ToArray(),
        VectorDataViewType { Size: 1 } vector when vector.ItemType is KeyDataViewType || vector.ItemType == NumberDataViewType.UInt32 => data.GetColumn<VBuffer<uint>>(column).Select(v => v.GetItemOrDefault(0).ToString(CultureInfo.InvariantCulture)).ToArray(),
        VectorDataViewType { Size: 1, ItemType: TextDataViewType } => data.GetColumn<VBuffer<ReadOnlyMemory<char>>>(column).Select(v => v.GetItemOrDefault(0).ToString()).ToArray(),
        VectorDataViewType { Size: 1 } vector when vector.ItemType == NumberDataViewType.Single => data.GetColumn<VBuffer<float>>(column).Select(v => v.GetItemOrDefault(0).ToString("R", CultureInfo.InvariantCulture)).ToArray(),
        var type => throw new NotSupportedException($"column {column} of type {type}"),
    };

    private static NamedOnnxValue Feed(string name, NodeMetadata metadata, IDataView data)
    {
        var rows = (int)(data.GetRowCount() ?? RowCount(data));
        var width = metadata.Dimensions.Length > 1 ? metadata.Dimensions[1] : 1;
        if (metadata.ElementType == typeof(float))
        {
            var values = FloatRows(data, name).SelectMany(r => r).ToArray();
            return NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>(values, [rows, width]));
        }
        if (metadata.ElementType == typeof(string))
        {
            var values = data.GetColumn<ReadOnlyMemory<char>>(name).Select(v => v.ToString()).ToArray();
            return NamedOnnxValue.CreateFromTensor(name, new DenseTensor<string>(values, [rows, width]));
        }
        if (metadata.ElementType == typeof(bool))
        {
            var values = data.Schema[name].Type is VectorDataViewType
                ? data.GetColumn<VBuffer<bool>>(name).SelectMany(v => v.DenseValues()).ToArray()
                : data.GetColumn<bool>(name).ToArray();
            return NamedOnnxValue.CreateFromTensor(name, new DenseTensor<bool>(values, [rows, width]));
        }
        if (metadata.ElementType == typeof(uint))
        {
            var values = data.GetColumn<uint>(name).ToArray();
            return NamedOnnxValue.CreateFromTensor(name, new DenseTensor<uint>(values, [rows, width]));
        }
        throw new NotSupportedException($"ONNX input {name} of element type {metadata.ElementType}");
    }

    private static long RowCount(IDataView data)
    {
        using var cursor = data.GetRowCursor([]);
        var count = 0L;
        while (cursor.MoveNext())
            count++;
        return count;
    }

    private static object[] Values(DisposableNamedOnnxValue result) => result.ElementType switch
    {
        TensorElementType.Float => result.AsTensor<float>().Select(v => (object)(double)v).ToArray(),
        TensorElementType.UInt32 => result.AsTensor<uint>().Select(v => (object)v.ToString(CultureInfo.InvariantCulture)).ToArray(),
        TensorElementType.Int64 => result.AsTensor<long>().Select(v => (object)v.ToString(CultureInfo.InvariantCulture)).ToArray(),
        TensorElementType.Bool => result.AsTensor<bool>().Select(v => (object)v.ToString()).ToArray(),
        TensorElementType.String => result.AsTensor<string>().Select(v => (object)v).ToArray(),
        var type => throw new NotSupportedException($"ONNX output {result.Name} of element type {type}"),
    };
}
