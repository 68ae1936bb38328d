using System.Globalization;
using System.Text;
using EdgeGateway.Uplink;
using EdgeGateway.Uplink.ChildProcess;

// Usage: EdgeGateway.Uplink.ChildProcess <db> <port> <ca.pem> <cert.pem> <key.pem> <operator> <gateway> <messagesPerProducer> <seed>
// Prints "READY" once the outbox is open, "ENQ <messageId>" after each EnqueueAsync returns,
// and "DRAINED" when the outbox is empty after every producer finished. With 0 messages it drains and exits.
if (args.Length != 9)
{
    await Console.Error.WriteLineAsync("usage: <db> <port> <ca> <cert> <key> <operator> <gateway> <messagesPerProducer> <seed>");
    return 2;
}

var perProducer = int.Parse(args[7], CultureInfo.InvariantCulture);
var seed = int.Parse(args[8], CultureInfo.InvariantCulture);
var logger = new StderrLogger();
var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = true };
var outputLock = new Lock();

void Print(string line)
{
    lock (outputLock)
    {
        stdout.Write(line + "\n");
    }
}

var outbox = Outbox.Open(new OutboxOptions { DatabasePath = args[0] }, TimeProvider.System, logger);
var options = new UplinkOptions
{
    OperatorId = args[5],
    GatewayId = args[6],
    BrokerHost = "127.0.0.1",
    TargetHost = "localhost",
    BrokerPort = int.Parse(args[1], CultureInfo.InvariantCulture),
    CaCertificatePath = args[2],
    ClientCertificatePath = args[3],
    ClientKeyPath = args[4],
    ReconnectInitialDelay = TimeSpan.FromMilliseconds(100),
    ReconnectMaxDelay = TimeSpan.FromSeconds(1),
    BacklogDrainRate = 100_000,
    KeepAlivePeriod = TimeSpan.FromSeconds(10),
    Versions = { ["gateway"] = "test" },
};
using var stop = new CancellationTokenSource();
var supervisor = new UplinkSupervisor(options, outbox, TimeProvider.System, logger, new Random(seed));
var run = supervisor.RunAsync(stop.Token);
Print("READY");

const int Producers = 16;
var producers = Enumerable.Range(0, Producers).Select(p => Task.Run(async () =>
{
    var random = new Random(seed * 31 + p);
    for (var i = 0; i < perProducer; i++)
    {
        var cls = (MessageClass)random.Next(MessageClasses.Count);
        var body = Encoding.UTF8.GetBytes($"{{\"producer\":{p},\"n\":{i}}}");
        var result = await outbox.EnqueueAsync(new UplinkMessage(cls, "G-TEST", ["ESN-1", "ESN-2"], body));
        Print("ENQ " + result.MessageId.ToString("D"));
        if (random.Next(8) == 0)
        {
            await Task.Delay(random.Next(3));
        }
    }
})).ToArray();
await Task.WhenAll(producers);

while (outbox.GetStatistics().TotalDepth > 0)
{
    await Task.Delay(20);
}

Print("DRAINED");
if (perProducer == 0)
{
    await stop.CancelAsync();
    await run;
    await outbox.DisposeAsync();
    return 0;
}

// Wait to be killed.
await Task.Delay(Timeout.Infinite);
return 0;
