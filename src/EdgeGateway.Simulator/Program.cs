using EdgeGateway.Simulator.Cli;

return SimulatorCli.Run(args, Console.Out, Console.Error);
