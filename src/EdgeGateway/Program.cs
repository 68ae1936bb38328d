using EdgeGateway.Cli;
using EdgeGateway.Hosting;

// With a command (replay, listen, arinc ...) the executable is a tool; without one it is the service.
return args.Length > 0 && !args[0].StartsWith('-')
    ? CommandLine.Run(args, Console.Out, Console.Error)
    : await GatewayHost.RunAsync(args, Console.Error);
