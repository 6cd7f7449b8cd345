namespace MLNetBackprop.Engine.Layers;

/// <summary>
/// Batch losses on raw network outputs. Each returns the weighted mean Σwᵢlᵢ/Σwᵢ (the plain mean without weights)
/// and writes ∂loss/∂output, normalised the same way. Per-row arithmetic is done in double: the cost is tiny next
/// to the matrix products and it keeps exp/log stable.
/// </summary>
internal static class Losses
{
    /// <summary>
    /// Evaluates <paramref name="kind"/> for <paramref name="targets"/>.Length / <see cref="TargetWidth"/> rows of
    /// <paramref name="outputCount"/> raw outputs. <paramref name="weights"/> empty means every row weighs 1.
    /// When the weights of the batch sum to zero (or less), the batch carries no information: the loss is 0 and the
    /// gradient is all zeros.
    /// </summary>
    /// <param name="kind">The loss.</param>
    /// <param name="huberDelta">δ of the Huber loss; ignored otherwise.</param>
    /// <param name="outputs">Raw outputs, row-major [rows × outputCount].</param>
    /// <param name="targets">Row-major [rows × <see cref="TargetWidth"/>]: class index for softmax, 0/1 for logistic, the values otherwise.</param>
    /// <param name="weights">Per-row weights, or empty.</param>
    /// <param name="outputCount">Outputs per row.</param>
    /// <param name="gradient">Receives ∂loss/∂outputs, same shape as <paramref name="outputs"/>.</param>
    public static double Evaluate(LossKind kind, float huberDelta, ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets,
        ReadOnlySpan<float> weights, int outputCount, Span<float> gradient)
    {
        var rows = targets.Length / TargetWidth(kind, outputCount);
        var size = rows * outputCount;
        if (outputs.Length < size || gradient.Length < size || (!weights.IsEmpty && weights.Length < rows))
            throw new ArgumentException("Loss buffers do not match the batch shape.");
        var weightSum = WeightSum(weights, rows);
        if (!(weightSum > 0))
        {
            gradient[..size].Clear();
            return 0;
        }
        double total = 0;
        for (var r = 0; r < rows; r++)
        {
            var w = weights.IsEmpty ? 1.0 : weights[r];
            total += w * RowLoss(kind, huberDelta, outputs, targets, weights, outputCount, weightSum, gradient, r);
        }
        return total / weightSum;
    }

    /// <summary>
    /// Targets per row of <paramref name="kind"/> with <paramref name="outputCount"/> outputs: one for softmax and
    /// logistic, one per output for squared error and Huber, a label and a weight per output for multi-label.
    /// </summary>
    public static int TargetWidth(LossKind kind, int outputCount) => kind switch
    {
        LossKind.SoftmaxCrossEntropy or LossKind.Logistic => 1,
        LossKind.MultiLabelLogistic => 2 * outputCount,
        _ => outputCount,
    };

    /// <summary>Σwᵢ over the first <paramref name="rows"/> weights (the row count without weights).</summary>
    public static double WeightSum(ReadOnlySpan<float> weights, int rows) => weights.IsEmpty ? rows : Sum(weights[..rows]);

    /// <summary>
    /// The unweighted loss of row <paramref name="r"/>; writes (wᵣ/<paramref name="weightSum"/>)·∂l/∂z into its row
    /// of <paramref name="gradient"/>. Rows are independent, so any thread may evaluate any row; the caller sums
    /// wᵣ·lᵣ in row order as <see cref="Evaluate"/> does.
    /// </summary>
    public static double RowLoss(LossKind kind, float huberDelta, ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets,
        ReadOnlySpan<float> weights, int outputCount, double weightSum, Span<float> gradient, int r)
    {
        var w = weights.IsEmpty ? 1.0 : weights[r];
        var scale = w / weightSum;
        var z = outputs.Slice(r * outputCount, outputCount);
        var g = gradient.Slice(r * outputCount, outputCount);
        var width = TargetWidth(kind, outputCount);
        return Row(kind, huberDelta, z, targets.Slice(r * width, width), scale, g);
    }

    private static double Sum(ReadOnlySpan<float> values)
    {
        double sum = 0;
        foreach (var v in values)
            sum += v;
        return sum;
    }

    // Loss of one row; writes scale·∂l/∂z into g.
    private static double Row(LossKind kind, float delta, ReadOnlySpan<float> z, ReadOnlySpan<float> t, double scale, Span<float> g)
        => kind switch
        {
            LossKind.SoftmaxCrossEntropy => SoftmaxCrossEntropy(z, (int)t[0], scale, g),
            LossKind.Logistic => Logistic(z[0], t[0], scale, g),
            LossKind.SquaredError => SquaredError(z, t, scale, g),
            LossKind.Huber => Huber(z, t, delta, scale, g),
            LossKind.MultiLabelLogistic => MultiLabelLogistic(z, t, scale, g),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown loss."),
        };

    // log Σ e^z − z_y, shifted by max z so no exponent overflows; gradient softmax(z) − onehot(y).
    private static double SoftmaxCrossEntropy(ReadOnlySpan<float> z, int target, double scale, Span<float> g)
    {
        double max = z[0];
        for (var j = 1; j < z.Length; j++)
            max = Math.Max(max, z[j]);
        // Each exponential is evaluated once and kept (the same values, so the same bits as evaluating it twice).
        var exps = z.Length <= 64 ? stackalloc double[z.Length] : new double[z.Length];
        double sum = 0;
        for (var j = 0; j < z.Length; j++)
        {
            var e = Math.Exp(z[j] - max);
            exps[j] = e;
            sum += e;
        }
        for (var j = 0; j < z.Length; j++)
        {
            var p = exps[j] / sum;
            g[j] = (float)(scale * (j == target ? p - 1 : p));
        }
        return max + Math.Log(sum) - z[target];
    }

    // −y·log σ(z) − (1−y)·log(1−σ(z)) rewritten as max(z,0) − z·y + log(1 + e^−|z|), finite for any finite z.
    private static double Logistic(double z, double y, double scale, Span<float> g)
    {
        var e = Math.Exp(-Math.Abs(z));
        var sigma = z >= 0 ? 1 / (1 + e) : e / (1 + e);
        g[0] = (float)(scale * (sigma - y));
        return Math.Max(z, 0) - z * y + Math.Log(1 + e);
    }

    // Σⱼ wⱼ·BCE(zⱼ, yⱼ), t = [y₁..y_K, w₁..w_K]. With every wⱼ = 1 and one output it is Logistic bit for bit.
    private static double MultiLabelLogistic(ReadOnlySpan<float> z, ReadOnlySpan<float> t, double scale, Span<float> g)
    {
        var labels = z.Length;
        double loss = 0;
        for (var j = 0; j < labels; j++)
        {
            double w = t[labels + j];
            if (w == 0)
            {
                g[j] = 0;
                continue;
            }
            loss += w * Logistic(z[j], t[j], scale * w, g[j..]);
        }
        return loss;
    }

    // ½(z − y)² summed over the outputs; a NaN target is masked out (no loss, no gradient).
    private static double SquaredError(ReadOnlySpan<float> z, ReadOnlySpan<float> t, double scale, Span<float> g)
    {
        double loss = 0;
        for (var j = 0; j < z.Length; j++)
        {
            double y = t[j];
            if (double.IsNaN(y))
            {
                g[j] = 0;
                continue;
            }
            var r = z[j] - y;
            g[j] = (float)(scale * r);
            loss += 0.5 * r * r;
        }
        return loss;
    }

    // ½r² for |r| ≤ δ, δ(|r| − ½δ) beyond: the gradient is r clipped to [−δ, δ]. A NaN target is masked out.
    private static double Huber(ReadOnlySpan<float> z, ReadOnlySpan<float> t, double delta, double scale, Span<float> g)
    {
        double loss = 0;
        for (var j = 0; j < z.Length; j++)
        {
            double y = t[j];
            if (double.IsNaN(y))
            {
                g[j] = 0;
                continue;
            }
            var r = z[j] - y;
            var a = Math.Abs(r);
            if (a <= delta)
            {
                g[j] = (float)(scale * r);
                loss += 0.5 * r * r;
            }
            else
            {
                g[j] = (float)(scale * (r > 0 ? delta : -delta));
                loss += delta * (a - 0.5 * delta);
            }
        }
        return loss;
    }
}
