using System.Runtime.CompilerServices;

// The benchmark program times the internal kernels directly and sets their thread count.
[assembly: InternalsVisibleTo("MLNetBackprop.Benchmarks")]
