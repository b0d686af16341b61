// Preloaded into a service with NODE_OPTIONS="--import <this file>" by `pnpm bench --profile`:
// Node 20 refuses --cpu-prof in NODE_OPTIONS, so the profiler is started here through the
// inspector and its profile written, like --cpu-prof's, when the process exits.
// Plain JavaScript: it loads before tsx is registered.
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';

const dir = process.env.BENCH_CPU_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  // 1 ms between samples, as --cpu-prof-interval's default.
  session.post('Profiler.setSamplingInterval', { interval: 1000 });
  session.post('Profiler.start');
  // The main thread's inspector session answers synchronously, so this works in 'exit'.
  process.once('exit', () => {
    session.post('Profiler.stop', (error, result) => {
      if (error) return;
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `CPU.${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
