// Baseline of the accept benchmark: Express 5 doing only what any JSON endpoint does (parse the
// body, answer 202 with an id), so the gateway's own work (authentication, validation, Redis,
// metrics, logging) is what the ratio measures.
import { randomUUID } from 'node:crypto';
import express from 'express';
import { emit, numberArg, readArgs } from '../harness/child-protocol';

const args = readArgs();
const app = express();
app.disable('x-powered-by');
app.disable('etag');
app.post('/v1/sms', express.json({ limit: 16_384 }), (_req, res) => {
  res.status(202).json({ id: randomUUID(), status: 'queued' });
});
const server = app.listen(numberArg(args, 'port'), '127.0.0.1', () => emit('ready'));
server.keepAliveTimeout = 65_000;
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
