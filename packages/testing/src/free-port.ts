import { createServer } from 'node:net';

// Ports handed to child processes are bound later, by the child. A port from the kernel's
// ephemeral range (32768-60999 on Linux) can be taken in between by any outgoing connection,
// and tests make thousands; ports below that range are only ever taken by a listener.
const LOW = 20_000;
const HIGH = 32_000;
const taken = new Set<number>();

/**
 * A port that is free right now on 127.0.0.1, below the ephemeral range, and not handed out
 * before by this process.
 */
export async function freePort(): Promise<number> {
  for (let tries = 0; tries < 50; tries++) {
    const port = LOW + Math.floor(Math.random() * (HIGH - LOW));
    if (taken.has(port)) continue;
    if (await canListen(port)) {
      taken.add(port);
      return port;
    }
  }
  return listenOn(0);
}

function canListen(port: number): Promise<boolean> {
  return listenOn(port).then(
    () => true,
    () => false,
  );
}

function listenOn(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port assigned'));
      });
    });
  });
}
