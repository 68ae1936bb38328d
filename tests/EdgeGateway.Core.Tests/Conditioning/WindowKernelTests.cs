using System.Runtime.Intrinsics;
using EdgeGateway.Core.Conditioning;

namespace EdgeGateway.Core.Tests.Conditioning;

public class WindowKernelTests
{
    // 0-1 principle: a comparator network sorts every input if and only if it sorts every 0/1 input.
    [Fact]
    public void Sort7_EveryZeroOneInput_Sorted()
    {
        for (int bits = 0; bits < 128; bits++)
        {
            var p = Enumerable.Range(0, 7).Select(i => (float)((bits >> i) & 1)).ToArray();
            var v = p.Select(x => Vector128.Create(x)).ToArray();

            WindowKernel.Sort7<Vector128<float>, Vector128Ops>(ref v[0], ref v[1], ref v[2], ref v[3], ref v[4], ref v[5], ref v[6]);

            Assert.Equal(p.OrderBy(x => x).ToArray(), v.Select(x => x[0]).ToArray());
        }
    }

    [Fact]
    public void Median7_EveryZeroOneInput_IsTheMiddleValue()
    {
        for (int bits = 0; bits < 128; bits++)
        {
            var p = Enumerable.Range(0, 7).Select(i => (float)((bits >> i) & 1)).ToArray();

            float median = WindowKernel.Median7<float, ScalarOps>(p[0], p[1], p[2], p[3], p[4], p[5], p[6]);

            Assert.Equal(p.OrderBy(x => x).ElementAt(3), median);
        }
    }
}
