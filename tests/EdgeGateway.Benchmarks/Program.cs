using BenchmarkDotNet.Running;
using EdgeGateway.Benchmarks.Infrastructure;

if (args.Contains("--quick"))
{
    return QuickRunner.Run(args.Where(a => a != "--quick").ToArray());
}

BenchmarkSwitcher.FromAssembly(typeof(QuickRunner).Assembly).Run(args);
return 0;
