using System.Numerics.Tensors;

namespace MLNetBackprop.Engine.Collective;

/// <summary>
/// The sums of a sharded run. In shard order (<see cref="ShardPlan.InShardOrder"/>), identical bit for bit on every rank
/// and for every rank count: each shard's values sit in a slot of their own, and the total adds the slots in shard order
/// starting from zero. Across ranks the slots of other ranks' shards are zero, so the allreduce only moves each slot to
/// every rank (x + 0 = x) and its order of addition cannot change a bit; two shards on two ranks need no padding, since
/// a + b = b + a. Otherwise each rank adds its own slots and one allreduce of a vector adds the ranks. Scalars are
/// always summed in shard order (a few values).
/// </summary>
internal sealed class ShardReduction
{
    private readonly ShardPlan _plan;
    private readonly int _length;
    private readonly float[] _slots;
    private readonly float[]? _direct;
    private readonly double[] _scalars;
    private readonly int _scalarWidth;

    /// <summary>
    /// Slots for vectors of <paramref name="length"/> floats (gradients) and for <paramref name="scalarWidth"/> doubles
    /// per shard (loss and weight sums). With a <paramref name="total"/> buffer, the one every sum will be written to,
    /// a rank that computes one shard and allreduces it unpadded computes it right there, saving two passes a sum.
    /// </summary>
    public ShardReduction(ShardPlan plan, int length, int scalarWidth, float[]? total = null)
    {
        _plan = plan;
        _length = length;
        _scalarWidth = scalarWidth;
        if (total is not null && plan.Size > 1 && !PadsVectors && plan.LocalShardCount == 1)
            _direct = total;
        _slots = _direct is not null ? [] : new float[checked((PadsVectors ? plan.Shards : plan.LocalShardCount) * length)];
        _scalars = new double[plan.Shards * scalarWidth];
    }

    // Zero slots for the other ranks' shards: only to sum in shard order across more than two shards or ranks.
    private bool PadsVectors => _plan.Size > 1 && _plan.InShardOrder && !(_plan.Size == 2 && _plan.Shards == 2);

    /// <summary>The vector slot of this rank's <paramref name="localShard"/>-th shard.</summary>
    public Span<float> Slot(int localShard)
    {
        if (_direct is not null)
            return _direct.AsSpan(0, _length);
        var slot = PadsVectors ? _plan.ShardAt(localShard) : localShard;
        return _slots.AsSpan(slot * _length, _length);
    }

    /// <summary>Zeroes every vector slot.</summary>
    public void ClearSlots() => Array.Clear(_slots);

    /// <summary>The scalars of this rank's <paramref name="localShard"/>-th shard, <c>scalarWidth</c> of them.</summary>
    public Span<double> Scalars(int localShard) => _scalars.AsSpan(_plan.ShardAt(localShard) * _scalarWidth, _scalarWidth);

    /// <summary>Zeroes every shard's scalars.</summary>
    public void ClearScalars() => Array.Clear(_scalars);

    /// <summary>Writes the sum over all shards of the vector slots, in shard order, into <paramref name="total"/>.</summary>
    public void SumSlots(Span<float> total)
    {
        if (_plan.Collective is { Size: > 1 } collective && !PadsVectors)
        {
            if (_direct is null)
            {
                total.Clear();
                for (var k = 0; k < _plan.LocalShardCount; k++)
                    TensorPrimitives.Add(total, Slot(k), total);
            }
            else if (!total.Overlaps(_direct))
                throw new ArgumentException("The sum goes to the buffer the shard was computed in.", nameof(total));
            collective.AllReduceSum(total);
            // (0 + a) + b, as the shard-order sum below gives: only a zero's sign can differ, and adding +0 settles it.
            if (_plan.InShardOrder)
                TensorPrimitives.Add(total, 0f, total);
            return;
        }
        var padded = _plan.Collective is { Size: > 1 };
        if (padded)
            _plan.Collective!.AllReduceSum(_slots);
        total.Clear();
        for (var shard = 0; shard < _plan.Shards; shard++)
            TensorPrimitives.Add(total, _slots.AsSpan(shard * _length, _length), total);
        // The allreduce filled the other ranks' slots, which must be zero again for the next sum.
        if (padded)
            ClearSlots();
    }

    /// <summary>Writes the sum over all shards of each scalar, in shard order, into <paramref name="totals"/>.</summary>
    public void SumScalars(Span<double> totals)
    {
        _plan.Collective?.AllReduceSum(_scalars);
        totals.Clear();
        for (var shard = 0; shard < _plan.Shards; shard++)
            for (var i = 0; i < _scalarWidth; i++)
                totals[i] += _scalars[shard * _scalarWidth + i];
    }
}
