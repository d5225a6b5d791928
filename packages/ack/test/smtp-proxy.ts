// A TCP relay in front of the test Postfix that can be switched off: while
// "down" it drops every connection, as an unreachable mail server would.
import { createServer, connect, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";

export interface SmtpProxy {
  port: number;
  down: boolean;
  close(): Promise<void>;
}

export async function startSmtpProxy(targetPort: number, targetHost = "127.0.0.1"): Promise<SmtpProxy> {
  const sockets = new Set<Socket>();
  const proxy: SmtpProxy = { port: 0, down: false, close: async () => undefined };
  const server: Server = createServer((client) => {
    if (proxy.down) return client.destroy();
    const upstream = connect(targetPort, targetHost);
    sockets.add(client).add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  proxy.port = (server.address() as AddressInfo).port;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return proxy;
}
