using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetBackprop.MLNet;

/// <summary>
/// Schema checks that run before any training, on both the schema shape (pipeline construction) and the
/// real schema (Fit), with messages that name the column, what was found and how to fix it.
/// </summary>
internal static class ColumnChecks
{
    /// <summary>The parts of a column's type the checks look at, from either schema form.</summary>
    private readonly record struct Shape(bool Found, bool IsVector, bool KnownSize, bool IsKey, DataViewType? ItemType, string Description);

    public static void Check(SchemaShape schema, MlpOptionsBase options, LabelKind labelKind)
        => Check(name => schema.TryFindColumn(name, out var c) ? FromShape(c) : default, options, labelKind);

    public static void Check(DataViewSchema schema, MlpOptionsBase options, LabelKind labelKind)
        => Check(name => schema.GetColumnOrNull(name) is { } c ? FromType(c.Type) : default, options, labelKind);

    private static void Check(Func<string, Shape> find, MlpOptionsBase options, LabelKind labelKind)
    {
        CheckFeatures(options.FeatureColumnName, find(options.FeatureColumnName));
        CheckLabel(options.LabelColumnName, find(options.LabelColumnName), labelKind);
        if (options.ExampleWeightColumnName is { } weightName)
            CheckWeight(weightName, find(weightName));
    }

    private static void CheckFeatures(string name, Shape shape)
    {
        if (!shape.Found)
            throw new ArgumentOutOfRangeException(nameof(MlpOptionsBase.FeatureColumnName),
                $"Feature column '{name}' was not found in the training data. Create it with " +
                $"mlContext.Transforms.Concatenate(\"{name}\", ...) or set FeatureColumnName to an existing column.");
        if (!shape.IsVector || shape.IsKey || shape.ItemType != NumberDataViewType.Single)
            throw new ArgumentOutOfRangeException(nameof(MlpOptionsBase.FeatureColumnName),
                $"Feature column '{name}' must be a vector of Single (float); found {shape.Description}. " +
                "Use mlContext.Transforms.Concatenate (and Conversion.ConvertType for other number types).");
        if (!shape.KnownSize)
            throw new ArgumentOutOfRangeException(nameof(MlpOptionsBase.FeatureColumnName),
                $"Feature column '{name}' is a vector of unknown size; the MLP needs a fixed number of features. " +
                "Declare the size (e.g. [VectorType(n)] or a LoadColumn range) or build the column with Concatenate.");
    }

    private static void CheckLabel(string name, Shape shape, LabelKind kind)
    {
        if (!shape.Found)
            throw new ArgumentOutOfRangeException(nameof(MlpOptionsBase.LabelColumnName),
                $"Label column '{name}' was not found in the training data. Set LabelColumnName to the column that holds the label.");
        if (shape.IsVector && kind != LabelKind.Key)
        {
            CheckVectorLabel(name, shape, kind);
            return;
        }
        var ok = kind switch
        {
            LabelKind.Boolean => !shape.IsVector && shape.ItemType == BooleanDataViewType.Instance,
            LabelKind.Key => !shape.IsVector && shape.IsKey,
            _ => !shape.IsVector && !shape.IsKey && shape.ItemType == NumberDataViewType.Single,
        };
        if (!ok)
            throw new ArgumentOutOfRangeException(nameof(MlpOptionsBase.LabelColumnName), kind switch
            {
                LabelKind.Boolean => $"Label column '{name}' must be Boolean for binary classification; found {shape.Description}. " +
                    "Load it as bool, or map it with mlContext.Transforms.CustomMapping or Expression.",
                LabelKind.Key => $"Label column '{name}' must be a key type for multiclass classification; found {shape.Description}. " +
                    $"Add mlContext.Transforms.Conversion.MapValueToKey(\"{name}\") before the trainer.",
                _ => $"Label column '{name}' must be Single (float) for regression; found {shape.Description}. " +
                    $"Convert it with mlContext.Transforms.Conversion.ConvertType(\"{name}\", outputKind: DataKind.Single).",
            });
    }

    // A vector label: multi-label (Boolean) or multi-output regression (Single), of a size known before training.
    private static void CheckVectorLabel(string name, Shape shape, LabelKind kind)
    {
        var (item, task) = kind == LabelKind.Boolean ? (BooleanDataViewType.Instance as DataViewType, "multi-label classification") : (NumberDataViewType.Single, "multi-output regression");
        if (shape.IsKey || shape.ItemType != item)
            throw new ArgumentOutOfRangeException(nameof(MlpOptionsBase.LabelColumnName),
                $"Label column '{name}' is {shape.Description}; {task} needs a vector of {item.RawType.Name}. " +
                (kind == LabelKind.Boolean
                    ? "Build it from Boolean columns with mlContext.Transforms.Concatenate, or convert it with Conversion.ConvertType(outputKind: DataKind.Boolean)."
                    : $"Convert it with mlContext.Transforms.Conversion.ConvertType(\"{name}\", outputKind: DataKind.Single)."));
        if (!shape.KnownSize)
            throw new ArgumentOutOfRangeException(nameof(MlpOptionsBase.LabelColumnName),
                $"Label column '{name}' is a vector of unknown size; {task} needs a fixed number of targets. " +
                "Declare the size (e.g. [VectorType(n)] or a LoadColumn range) or build the column with Concatenate.");
    }

    private static void CheckWeight(string name, Shape shape)
    {
        if (!shape.Found)
            throw new ArgumentOutOfRangeException(nameof(MlpOptionsBase.ExampleWeightColumnName),
                $"Example weight column '{name}' was not found in the training data. Set ExampleWeightColumnName to an existing column or to null.");
        if (shape.IsVector || shape.IsKey || shape.ItemType != NumberDataViewType.Single)
            throw new ArgumentOutOfRangeException(nameof(MlpOptionsBase.ExampleWeightColumnName),
                $"Example weight column '{name}' must be Single (float); found {shape.Description}. " +
                $"Convert it with mlContext.Transforms.Conversion.ConvertType(\"{name}\", outputKind: DataKind.Single).");
    }

    private static Shape FromShape(SchemaShape.Column column)
    {
        var isVector = column.Kind != SchemaShape.Column.VectorKind.Scalar;
        var description = column.Kind switch
        {
            SchemaShape.Column.VectorKind.Vector => $"a vector of {ItemName(column.ItemType, column.IsKey)}",
            SchemaShape.Column.VectorKind.VariableVector => $"a variable-size vector of {ItemName(column.ItemType, column.IsKey)}",
            _ => ItemName(column.ItemType, column.IsKey),
        };
        return new Shape(true, isVector, column.Kind != SchemaShape.Column.VectorKind.VariableVector, column.IsKey, column.ItemType, description);
    }

    private static Shape FromType(DataViewType type)
    {
        if (type is VectorDataViewType vector)
        {
            var item = vector.ItemType;
            var description = (vector.IsKnownSize ? $"a vector of {vector.Size} " : "a variable-size vector of ") + ItemName(item, item is KeyDataViewType);
            return new Shape(true, true, vector.IsKnownSize, item is KeyDataViewType, item, description);
        }
        return new Shape(true, false, true, type is KeyDataViewType, type, ItemName(type, type is KeyDataViewType));
    }

    private static string ItemName(DataViewType type, bool isKey) => isKey ? "Key" : type.RawType.Name;
}
