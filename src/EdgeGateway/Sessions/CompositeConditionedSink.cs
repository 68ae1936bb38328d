using EdgeGateway.Landing;

namespace EdgeGateway.Sessions;

/// <summary>Hands conditioned values to several sinks in order (the crew page's signal recorder and the analysis).</summary>
/// <param name="sinks">The sinks.</param>
internal sealed class CompositeConditionedSink(params IConditionedSink[] sinks) : IConditionedSink
{
    public void OnConditioned(int channelId, long firstGridIndex, ReadOnlySpan<float> values)
    {
        foreach (var s in sinks)
        {
            s.OnConditioned(channelId, firstGridIndex, values);
        }
    }
}
