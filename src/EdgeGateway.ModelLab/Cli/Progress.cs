using Spectre.Console;

namespace EdgeGateway.ModelLab.Cli;

/// <summary>Progress of long steps: a Spectre.Console bar on a terminal, one plain line per step otherwise.</summary>
public static class Progress
{
    /// <summary>
    /// Runs <paramref name="work"/>, which calls the tick action once per step with a status line.
    /// </summary>
    public static T Run<T>(string title, int expectedSteps, Func<Action<string>, T> work, TextWriter stdout)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(stdout);
        var interactive = ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
        if (!interactive)
        {
            return work(stdout.WriteLine);
        }

        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(title, maxValue: Math.Max(1, expectedSteps));
                result = work(line =>
                {
                    task.Increment(1);
                    task.Description = Markup.Escape(line);
                });
                task.Value = task.MaxValue;
            });
        return result;
    }
}
